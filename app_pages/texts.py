"""Every text the app shows, Danish and English: one language at a time, everywhere."""
from __future__ import annotations

UI = {
    "da": {
        "title": "Beskæftigelsesplan 2017 – når vi målene?",
        "intro": "Flyt planens håndtag i venstre side og tryk **Kør simulation**. Hver simulering følger alle "
                 "borgere i den arbejdsdygtige alder i {municipality} måned for måned fra juli 2016 til december 2020.",
        "lang": "Sprog", "scenario": "Start fra scenarie", "reps": "Antal simulerede fremtider",
        "seed": "Frø (tilfældighed)", "run": "Kør simulation", "levers": "Planens håndtag",
        "per_year": "Forskellig værdi pr. år", "practice": "Praksis 2016", "plan": "Planen",
        "none": "intet tal i planen", "unit": "Enhed",
        "summary": "Alle mål og år: gennemsnit, mål og antal fremtider der når målet",
        "answer": "Svaret i ord",
        "running": "Simulerer {n} fremtider … {done} af {total} dele færdige",
        "running_other": "Simulerer «{name}» ({n} fremtider) … {done} af {total} dele færdige",
        "done": "Færdig: {n} fremtider på {s}",
        "cached": "Vist fra en tidligere kørsel med samme håndtag og frø ({n} fremtider, beregnet på {s})",
        "upload": "Indlæs scenarie (TOML-fil)", "download_toml": "Gem håndtagene som scenariefil",
        "upload_hint": "Træk en scenariefil (.toml) hertil, eller klik for at vælge en",
        "upload_button": "Vælg fil",
        "upload_errors": "Scenariefilen kan ikke bruges – intet er ændret:", "upload_ok": "Scenariet «{n}» er indlæst.",
        "compare_a": "Scenarie A", "compare_b": "Scenarie B", "current": "Kørt scenarie: {name}",
        "diff": "Forskel B − A (gennemsnit over fremtiderne)", "year": "År", "flows_year": "År for strømmene",
        "diff_note": "Grøn: B er bedre end A; rød: B er dårligere (efter hvad planen vil: færre ledige, "
                     "flere i uddannelse …). Andele i procentpoint.",
        "export_data": "Data (CSV)", "pack": "Rådspakke (zip med alle figurer, resumé, tabeller og stempel)",
        "summary_pdf": "Resumé til byrådet (én side, PDF)",
        "csv": {"indicators": "indikatorer", "states": "ydelser", "flows": "strømme"},
        "share_link": "Linket til denne visning rummer alle håndtag:",
        "copy_link": "Kopiér link", "copied": "Link kopieret",
        "reading": "Målene for de to andels-rækker (20/25 %) er læst år for år fra planens tabel.",
        "stale": "Håndtagene er ændret siden sidste kørsel – tryk **Kør simulation**.",
        "about": "Om modellen", "name": "Scenarie", "changes": "Ændret i forhold til «{origin}»",
        "save_name": "Navn til sammenligning", "save": "Gem som navngivet scenarie",
        "saved_ok": "«{n}» er gemt og kan vælges under Sammenlign.",
        "save_empty": "Skriv et navn først.",
        "url_refused": "Værdier i linket, der ikke kunne bruges:",
        "url_line": "{field} = «{value}»: tilladt {allowed}; {kept} bruges i stedet",
        "levers_head": "Håndtag", "assumptions": "Antagelser",
        "trials": "Simulerede forsøg: publiceret og simuleret effekt",
        "drivers": "Hvad driver resultaterne? (Morris-screening, 2020)",
        "discovery": "Hvornår nås målet? (scenarieopdagelse, PRIM)",
        "model_md": "Modelbeskrivelse (ODD, på engelsk)",
        "met": "**Mål {y} nået i {k} af {n} simulerede fremtider.**", "no_target": "Planen sætter intet tal.",
        "charts_head": "Hver indikator år for år",
        "seed_reps": "Frø og antal fremtider",
        "trial_line": "{study}: publiceret {published}, simuleret forsøg {simulated} ({lower}–{upper}) – {metric}",
        "flows_intro": "Hvor mange personer der flytter mellem ydelserne i løbet af året (gennemsnit over fremtiderne).",
        "running_compare": "Scenarierne i sammenligningen simuleres med samme frø og antal fremtider.",
    },
    "en": {
        "title": "Employment plan 2017 – will we reach the targets?",
        "intro": "Move the plan's levers on the left and press **Run simulation**. Each simulation follows every "
                 "working-age citizen of {municipality} month by month from July 2016 to December 2020.",
        "lang": "Language", "scenario": "Start from scenario", "reps": "Simulated futures",
        "seed": "Seed (randomness)", "run": "Run simulation", "levers": "The plan's levers",
        "per_year": "A value per year", "practice": "2016 practice", "plan": "The plan",
        "none": "no number in the plan", "unit": "Unit",
        "summary": "Every target and year: mean, target and futures meeting the target",
        "answer": "The answer in words",
        "running": "Simulating {n} futures … {done} of {total} parts done",
        "running_other": "Simulating «{name}» ({n} futures) … {done} of {total} parts done",
        "done": "Done: {n} futures in {s}",
        "cached": "Shown from an earlier run with the same levers and seed ({n} futures, computed in {s})",
        "upload": "Load a scenario (TOML file)", "download_toml": "Save the levers as a scenario file",
        "upload_hint": "Drag a scenario file (.toml) here, or click to choose one",
        "upload_button": "Choose file",
        "upload_errors": "The scenario file cannot be used – nothing was changed:", "upload_ok": "Scenario «{n}» loaded.",
        "compare_a": "Scenario A", "compare_b": "Scenario B", "current": "Scenario run: {name}",
        "diff": "Difference B − A (mean over the futures)", "year": "Year", "flows_year": "Year of the flows",
        "diff_note": "Green: B is better than A; red: B is worse (by what the plan wants: fewer unemployed, "
                     "more in education …). Shares in percentage points.",
        "export_data": "Data (CSV)", "pack": "Council pack (zip with every chart, the summary, the tables and the stamp)",
        "summary_pdf": "Summary for the council (one page, PDF)",
        "csv": {"indicators": "indicators", "states": "benefits", "flows": "flows"},
        "share_link": "The link to this view holds every lever:",
        "copy_link": "Copy link", "copied": "Link copied",
        "reading": "The targets of the two share rows (20/25 %) are read year by year from the plan's table.",
        "stale": "The levers changed since the last run – press **Run simulation**.",
        "about": "About the model", "name": "Scenario", "changes": "Changed from «{origin}»",
        "save_name": "Name for comparisons", "save": "Save as a named scenario",
        "saved_ok": "«{n}» is saved and can be chosen under Compare.",
        "save_empty": "Write a name first.",
        "url_refused": "Values in the link that could not be used:",
        "url_line": "{field} = «{value}»: allowed {allowed}; {kept} is used instead",
        "levers_head": "Levers", "assumptions": "Assumptions",
        "trials": "Simulated trials: published and simulated effect",
        "drivers": "What drives the results? (Morris screening, 2020)",
        "discovery": "When is the target met? (scenario discovery, PRIM)",
        "model_md": "Model description (ODD)",
        "met": "**{y} target met in {k} of {n} simulated futures.**", "no_target": "The plan sets no number.",
        "charts_head": "Each indicator year by year",
        "seed_reps": "Seed and number of futures",
        "trial_line": "{study}: published {published}, simulated trial {simulated} ({lower}–{upper}) – {metric}",
        "flows_intro": "How many people move between benefits during the year (mean over the futures).",
        "running_compare": "The scenarios compared are simulated with the same seed and number of futures.",
    },
}

# The shipped scenario files carry Danish names and descriptions; their English words live here
# until scenario files carry both languages.
SCENARIO_EN = {
    "baseline-2016": ("2016 practice continued",
                      "The jobcenter's practice of 2016 continues unchanged 2017–2020 (the point of comparison)."),
    "plan-2017": ("Employment plan 2017",
                  "The plan's initiatives from January 2017: internship after 3 months at the latest, more on partial "
                  "return to work, Danish combined with work for every refugee, public wage subsidy for 4 months at "
                  "most, an education push for young people, more company-oriented resource courses, flex-jobs with "
                  "progression and a stronger effort late in the dagpenge period."),
    "refugees-391": ("Employment plan 2017, 391 refugees",
                     "The plan's initiatives with the first national estimate of refugees for Viborg in 2017: 391 "
                     "instead of 200."),
    "covid-2020": ("Employment plan 2017 with COVID-19 in 2020",
                   "As the employment plan 2017, but with the fall in labour demand in 2020 (COVID-19) that the plan "
                   "could not foresee."),
}

ABOUT = {
    "da": "Modellen følger hver borger i den arbejdsdygtige alder i Viborg Kommune (ca. 60.000) måned for måned "
          "mellem 18 ydelsestilstande: beskæftigelse, uddannelse, a-dagpenge, kontanthjælp, uddannelseshjælp, "
          "integrationsydelse, IGU, sygedagpenge, jobafklaring, ressourceforløb, ledighedsydelse, fleksjob, "
          "førtidspension, efterløn og uden for arbejdsstyrken. Lovens frister (dagpengeperioden, revurdering efter "
          "22 uger, uddannelseshjælp til 30 år, integrationsprogrammet) gælder for hver borger. Jobcentrets pladser i "
          "praktik og løntilskud er begrænsede og fordeles efter regler; jobchancen afhænger af ledige stillinger pr. "
          "ledig. Håndtagenes effekter kommer fra publicerede danske og udenlandske studier (se hvert håndtags hjælp). "
          "Tal markeret som antagelser er modellens bud og kan ændres i scenariefilen.",
    "en": "The model follows every working-age citizen of Viborg Kommune (about 60,000) month by month between 18 "
          "benefit states: employment, education, unemployment insurance, cash benefit, education benefit, "
          "integration benefit, IGU, sickness benefit, job clarification, resource course, flex-job unemployment "
          "benefit, flex-job, disability pension, early retirement and outside the labour force. The law's deadlines "
          "(the dagpenge period, the 22-week reassessment, education benefit until 30, the integration programme) "
          "hold for every citizen. The jobcenter's internship and wage-subsidy places are scarce and allocated by "
          "rule; job finding depends on vacancies per job seeker. The levers' effects come from published studies "
          "(see each lever's help). Numbers marked as assumptions are the model's guesses and can be changed in the "
          "scenario file.",
}

# Column headers of the tables in "Om modellen" / "About the model".
TRIAL_COLUMNS = {
    "da": {"lever": "håndtag", "study": "studie", "metric": "mål for effekten (engelsk)", "published": "publiceret",
           "simulated": "simuleret", "lower": "nedre", "upper": "øvre", "within_tolerance": "inden for tolerancen"},
    "en": {"lever": "lever", "study": "study", "metric": "metric", "published": "published", "simulated": "simulated",
           "lower": "lower", "upper": "upper", "within_tolerance": "within tolerance"},
}
DISCOVERY = {
    "da": "Indikatoren `{indicator}` når målet {target:g} i {year} i {met} af {cases} simulerede fremtider i en "
          "gemt batch (`{batch_command}`). Inden for grænserne herunder nås det i {density_pct:.0f} % af "
          "fremtiderne; de rummer {coverage_pct:.0f} % af alle fremtider, hvor målet nås.",
    "en": "The indicator `{indicator}` meets its target {target:g} in {year} in {met} of {cases} simulated futures "
          "of a saved batch (`{batch_command}`). Within the bounds below it is met in {density_pct:.0f} % of the "
          "futures; they hold {coverage_pct:.0f} % of all futures in which the target is met.",
}
DISCOVERY_COLUMNS = {
    "da": {"input": "løftestang eller antagelse", "low": "fra", "high": "til", "batch_low": "batchens laveste",
           "batch_high": "batchens højeste"},
    "en": {"input": "lever or assumption", "low": "from", "high": "to", "batch_low": "lowest in the batch",
           "batch_high": "highest in the batch"},
}
DRIVER_COLUMNS = {
    "da": {"indicator": "indikator", "rank": "rang", "factor": "faktor", "mu_star": "μ*", "sigma": "σ"},
    "en": {"indicator": "indicator", "rank": "rank", "factor": "factor", "mu_star": "μ*", "sigma": "σ"},
}

# The Økonomi / Economy tab (app_pages/economy.py).
ECONOMY = {
    "da": {
        "intro": "Hvad borgerne på ydelse og indsatsen koster år for år: bruttoudgiften, den statslige refusion og "
                 "kommunens, statens og den offentlige nettoudgift i alt. Refusionen falder med "
                 "borgerens samlede tid på ydelse (80 % de første 4 uger, 40 % uge 5–26, 30 % uge 27–52, 20 % derefter), "
                 "så lange forløb koster kommunen mest. Indsatsen er sagsbehandlere, virksomhedskonsulenter, drift af "
                 "praktik, nytteindsats og løntilskud, mentorer, kurser og IGU. Mio. kr. i årets priser; gennemsnit og "
                 "(5 % – 95 %) af de simulerede fremtider.",
        "practice": "Praksis 2016 (samme flygtninge og antagelser)", "difference": "Forskel",
        "net_head": "Kommunens nettoudgift pr. år", "measures_head": "Brutto, refusion og netto (i alt)",
        "groups_head": "Nettoudgift efter ydelse", "chart_head": "Figur",
        "row": "Række", "group": "Ydelse", "period": "2017–2020",
        "diff_col": "Forskel 2017–2020",
        "headline": "Kommunens nettoudgift 2017–2020: **{a} mio. kr.** ({a_lo} – {a_hi}). Med praksis 2016: {b} mio. kr. "
                    "Forskel fremtid for fremtid (samme frø): **{d} mio. kr.** ({d_lo} – {d_hi}).",
        "per_person": "I december 2020 er **{n} færre** borgere på midlertidig ydelse end med praksis 2016 ({n_lo} – {n_hi}).",
        "per_person_saves": "Kommunen **sparer {k} kr.** netto 2017–2020 pr. borger færre på ydelse.",
        "per_person_costs": "Det **koster kommunen {k} kr.** netto 2017–2020 pr. borger færre på ydelse.",
        "per_person_none": "Antallet på midlertidig ydelse i december 2020 ændrer sig ikke sikkert i forhold til praksis "
                           "2016 ({n}; {n_lo} – {n_hi}), så en pris pr. borger færre på ydelse siger intet her.",
        "guarantee_head": "Hvad kommunen selv beholder",
        "guarantee": "Tallene er kommunens egne udgifter før budgetgarantien og beskæftigelsestilskuddet. "
                     "Budgetgarantien regulerer bloktilskuddet med udviklingen i udgifterne **på landsplan**, og "
                     "beskæftigelsestilskuddet (til og med 2020) følger ledigheden i landsdelen. Falder ledigheden i "
                     "hele landet, tager staten en del af besparelsen tilbage; kommunen beholder det, der er **bedre "
                     "end den nationale udvikling**. Forskellen mellem to scenarier med samme konjunktur – som her – "
                     "er netop kommunens egen besparelse.",
        "bc_head": "Business case pr. håndtag",
        "bc_intro": "Hvert håndtag flyttet alene fra praksis 2016 til den nuværende værdi (de andre ved praksis 2016), og "
                    "alle samlet; samme frø og antal fremtider. Effekterne lægges ikke nødvendigvis sammen: håndtagene "
                    "deler jobcentrets pladser og de samme borgere.",
        "bc_button": "Beregn business case ({k} håndtag × {n} fremtider)",
        "bc_pending": "Kun «alle samlet» er beregnet; tryk på knappen for hvert håndtag for sig.",
        "bc_none": "De nuværende håndtag er alle som i praksis 2016 – der er ingen business case at beregne.",
        "bc_net": "Nettoudgift 2017–2020, mio. kr.", "bc_off": "Færre på midlertidig ydelse, dec. 2020",
        "bc_per": "Kr. pr. borger færre på ydelse", "bc_lever": "Håndtag", "bc_why": "Hvorfor",
        "bc_unused": "efterspørgslen er under {n} pladser; flere pladser ændrer intet ud over konsulenternes tid",
        "bc_effort": "Indsats 2017–2020, mio. kr.", "bc_savings": "Besparelse 2017–2020, mio. kr.",
        "bc_payback": "Tjent hjem",
        "not_by_2020": "ikke inden 2020",
        "payback_head": "Indsats, besparelse og tilbagebetaling",
        "effort_row": "Indsats (hvad håndtagene koster)", "savings_row": "Besparelse (ydelser, løntilskud, tilskud, "
                      "sagsbehandling)", "net_row": "Netto for kommunen",
        "counted": "**Talt med:** forsørgelse efter statsrefusion, kommunens medfinansiering af dagpenge (før "
                   "beskæftigelsestilskud) og førtidspension, løntilskud, integrationstilskud, sagsbehandling og "
                   "indsatsen (sagsbehandleres ekstra samtaler, virksomhedskonsulenter, drift af tilbud, mentorer, kurser, "
                   "IGU) med driftsrefusionen inden for driftsloftet. **Ikke talt med:** budgetgarantien og "
                   "beskæftigelsestilskuddet, skat af løn, borgernes egen økonomi, ledelse og husleje ud over "
                   "årsværksprisen. Enhedspriserne og deres kilder står i docs/parameters.md.",
        "staff_head": "Årsværk, som arbejdet kræver",
        "staff_caseworker": "Sagsbehandlere med håndtagene", "staff_caseworker_practice": "Sagsbehandlere, praksis 2016",
        "staff_consultant": "Virksomhedskonsulenter med håndtagene",
        "staff_consultant_practice": "Virksomhedskonsulenter, praksis 2016", "staff_2016": "Ansat i 2016",
        "staff_note": "Gennemsnit over årets måneder og fremtiderne. Sagsbehandlere efter sagstal pr. ydelse og de "
                      "ekstra samtaler og planer, håndtagene kræver; konsulenter efter antallet af pladser og forløb. "
                      "Et scenarie kan sætte et loft over årsværkene; så gennemføres kun en del af de ekstra samtaler, "
                      "og tilbud venter.",
        "over_caseworker": "{year}: scenariet kræver {need} årsværk sagsbehandlere, men loftet er {cap}. De ekstra "
                           "samtaler, håndtagene kræver, gennemføres kun delvist – og virker kun for den del.",
        "over_consultant": "{year}: scenariet kræver {need} årsværk virksomhedskonsulenter, men loftet er {cap}. Færre "
                           "pladser holdes åbne, og tilbud venter.",
        "sens_head": "Hvilke antagelser afgør, om det betaler sig?",
        "sens_intro": "Hver enhedspris i den lave og den høje ende af sit spænd, én ad gangen, på de samme fremtider. "
                      "Effektstørrelserne kræver nye simuleringer: `python -m model business-case … --sensitivity all`.",
        "sens_button": "Beregn følsomheden",
        "bc_indicators": "Ændring i planens indikatorer 2020 (gennemsnit)",
        "bc_note": "Nettoudgift: + betyder, at kommunen betaler mere. Kr. pr. borger vises kun, hvor hver fremtid har "
                   "mindst {m} færre på ydelse.",
        "all": "Alle håndtag samlet",
        "csv_costs": "Udgifter (CSV)", "csv_bc": "Business case (CSV)",
        "rates_broken": "Satsfilerne i model/data/rates kan ikke bruges, så udgifterne kan ikke beregnes:",
        "running_bc": "Business case: «{name}»",
    },
    "en": {
        "intro": "What the citizens on benefits and the effort cost year by year: gross spending, the state's refusion "
                 "and the municipality's, the state's and the public net cost in total. The refusion "
                 "falls with a citizen's total time on benefits (80 % in the first 4 weeks, 40 % in weeks 5–26, 30 % in "
                 "weeks 27–52, 20 % after), so long spells cost the municipality most. The effort is caseworkers, "
                 "company consultants, running internships, nytteindsats and wage subsidy, mentors, courses and IGU. "
                 "DKK million in current prices; mean and (5 % – 95 %) of the simulated futures.",
        "practice": "2016 practice (same refugees and assumptions)", "difference": "Difference",
        "net_head": "The municipality's net cost per year", "measures_head": "Gross, refusion and net (total)",
        "groups_head": "Net cost by benefit", "chart_head": "Chart",
        "row": "Row", "group": "Benefit", "period": "2017–2020",
        "diff_col": "Difference 2017–2020",
        "headline": "The municipality's net cost 2017–2020: **DKK {a} million** ({a_lo} – {a_hi}). With 2016 practice: "
                    "DKK {b} million. Difference future by future (same seeds): **DKK {d} million** ({d_lo} – {d_hi}).",
        "per_person": "In December 2020 **{n} fewer** citizens are on temporary benefits than with 2016 practice "
                      "({n_lo} – {n_hi}).",
        "per_person_saves": "The municipality **saves DKK {k}** net 2017–2020 per citizen fewer on benefits.",
        "per_person_costs": "It **costs the municipality DKK {k}** net 2017–2020 per citizen fewer on benefits.",
        "per_person_none": "The number on temporary benefits in December 2020 does not change reliably from 2016 practice "
                           "({n}; {n_lo} – {n_hi}), so a price per citizen fewer on benefits says nothing here.",
        "guarantee_head": "What the municipality keeps",
        "guarantee": "These are the municipality's own costs before the budget guarantee and the employment grant. The "
                     "budget guarantee adjusts the block grant by the change in spending **nationally**, and the "
                     "employment grant (until 2020) follows unemployment in the region. When unemployment falls across "
                     "the country, the state takes part of the saving back; the municipality keeps what is **better than "
                     "the national trend**. The difference between two scenarios with the same economy – as here – is "
                     "exactly the municipality's own saving.",
        "bc_head": "Business case per lever",
        "bc_intro": "Each lever moved alone from 2016 practice to its current value (the others at 2016 practice), and "
                    "all together; same seed and number of futures. The effects need not add up: the levers share the "
                    "jobcenter's places and the same citizens.",
        "bc_button": "Compute the business case ({k} levers × {n} futures)",
        "bc_pending": "Only «all together» is computed; press the button for each lever on its own.",
        "bc_none": "The current levers are all at 2016 practice – there is no business case to compute.",
        "bc_net": "Net cost 2017–2020, DKK million", "bc_off": "Fewer on temporary benefits, Dec 2020",
        "bc_per": "DKK per citizen fewer on benefits", "bc_lever": "Lever", "bc_why": "Why",
        "bc_unused": "demand stays below {n} places; more places change nothing but the consultants' time",
        "bc_effort": "Effort 2017–2020, DKK million", "bc_savings": "Savings 2017–2020, DKK million",
        "bc_payback": "Pays back",
        "not_by_2020": "not by 2020",
        "payback_head": "Effort, savings and payback",
        "effort_row": "Effort (what the levers cost)", "savings_row": "Savings (benefits, wage subsidy, grants, "
                      "casework)", "net_row": "Net for the municipality",
        "counted": "**Counted:** benefits after state refusion, the municipality's co-financing of dagpenge (before the "
                   "employment grant) and disability pension, wage subsidy, integration grants, casework and the effort "
                   "(caseworkers' extra talks, company consultants, running offers, mentors, courses, IGU) with the "
                   "operating refusion within its ceiling. **Not counted:** the budget guarantee and the employment "
                   "grant, tax on wages, the citizens' own finances, management and rent beyond the price of a "
                   "full-time year. The unit costs and their sources are in docs/parameters.md.",
        "staff_head": "Full-time staff the work needs",
        "staff_caseworker": "Caseworkers with the levers", "staff_caseworker_practice": "Caseworkers, 2016 practice",
        "staff_consultant": "Company consultants with the levers",
        "staff_consultant_practice": "Company consultants, 2016 practice", "staff_2016": "Employed in 2016",
        "staff_note": "Mean over the year's months and the futures. Caseworkers by the caseload of each benefit and the "
                      "extra talks and plans the levers ask for; consultants by the number of places and IGU and "
                      "flex-job steps. A scenario may cap the staff; then only part of the extra talks happen, and "
                      "offers wait.",
        "over_caseworker": "{year}: the scenario asks for {need} full-time caseworkers, but the cap is {cap}. The extra "
                           "talks the levers ask for happen only in part – and work only for that part.",
        "over_consultant": "{year}: the scenario asks for {need} full-time company consultants, but the cap is {cap}. "
                           "Fewer places are kept open, and offers wait.",
        "sens_head": "Which assumptions decide whether it pays?",
        "sens_intro": "Each unit cost at the low and the high end of its range, one at a time, on the same futures. The "
                      "effect sizes need new simulations: `python -m model business-case … --sensitivity all`.",
        "sens_button": "Compute the sensitivity",
        "bc_indicators": "Change in the plan's indicators 2020 (mean)",
        "bc_note": "Net cost: + means the municipality pays more. DKK per citizen is shown only where every future has "
                   "at least {m} fewer on benefits.",
        "all": "All levers together",
        "csv_costs": "Costs (CSV)", "csv_bc": "Business case (CSV)",
        "rates_broken": "The rate files in model/data/rates cannot be used, so the costs cannot be computed:",
        "running_bc": "Business case: «{name}»",
    },
}

# The "Plan, model og virkelighed" tab (app_pages/reality.py); the reports' own words are in
# model/reports/reality.py.
REALITY = {
    "da": {
        "intro": "Hvad skete der faktisk? Planens mål og modellens simulerede bånd holdt op mod faktiske tal. Et "
                 "tal sammenlignes kun, hvor modellen tæller på samme måde (personer i måneden, personer ved "
                 "månedens udgang, en andel); ellers står der hvorfor ikke. En velkalibreret model har omkring 90 % "
                 "af de faktiske tal inden for sit bånd (5–95 % af fremtiderne).",
        "choice": "Faktiske tal",
        "choices": {"example": "Eksemplet: {name} 2016–2020 (planens statustal og Danmarks Statistik)",
                    "files": "Egne filer", "none": "Ingen"},
        "upload": "Indlæs faktiske tal: Jobindsats (JSON eller CSV), Statistikbanken (CSV), egen CSV "
                  "(measure,period,value,source,retrieved) eller en importeret actuals.parquet",
        "upload_hint": "Træk filer med faktiske tal hertil, eller klik for at vælge",
        "retrieved": "Hentet den (Jobindsats- og Statistikbanken-filer)",
        "refused": "Filerne kan ikke bruges – de faktiske tal er ikke ændret. Detaljer (på engelsk):",
        "loaded": "{n} faktiske tal indlæst ({origin}).", "notes": "Ved indlæsningen (på engelsk):",
        "other_municipality": "De indlæste tal gælder {other}, men scenariet gælder {name}: de bruges ikke.",
        "no_example": "Der følger intet eksempel med for {name}.",
        "none": "Ingen faktiske tal er indlæst: vælg eksemplet, eller indlæs egne filer.",
        "years_head": "Mål, model og faktisk – år for år",
        "years_note": "Bestande og andele aflæses i december (2016: statusmåneden), overgange til uddannelse over "
                      "kalenderåret – som i planen.",
        "score_head": "Hvert faktisk tal mod modellens bånd",
        "charts_head": "Med de faktiske tal i figurerne",
        "left_head": "Tal, der ikke sammenlignes",
        "help_head": "Hvad måles? Officielle tal og modellens tal",
        "measure": "Mål for", "period": "Periode", "actual": "Faktisk", "mean": "Modellen, gennemsnit",
        "band": "Modellen, 5–95 %", "inside": "Inden for båndet", "yes": "ja", "no": "nej",
        "status": "(statusmåned: modellens start)",
        "origin_example": "eksemplet for {name}", "origin_files": "filerne {files}",
        "indicator_help": "Officielt tal og modellens tal",
    },
    "en": {
        "intro": "What actually happened? The plan's targets and the model's simulated band held against actual "
                 "figures. A figure is compared only where the model counts the same way (persons in the month, "
                 "persons at the month's end, a share); elsewhere it says why not. A well-calibrated model has about "
                 "90 % of the actual figures inside its band (5–95 % of futures).",
        "choice": "Actual figures",
        "choices": {"example": "The example: {name} 2016–2020 (the plan's status figures and Danmarks Statistik)",
                    "files": "Own files", "none": "None"},
        "upload": "Load actual figures: Jobindsats (JSON or CSV), Statistikbanken (CSV), own CSV "
                  "(measure,period,value,source,retrieved) or an imported actuals.parquet",
        "upload_hint": "Drag files of actual figures here, or click to choose",
        "retrieved": "Retrieved on (Jobindsats and Statistikbanken files)",
        "refused": "The files cannot be used – the actual figures are unchanged. Details:",
        "loaded": "{n} actual figures loaded ({origin}).", "notes": "While loading:",
        "other_municipality": "The figures loaded are of {other}, but the scenario is of {name}: they are not used.",
        "no_example": "No example is shipped for {name}.",
        "none": "No actual figures are loaded: choose the example, or load your own files.",
        "years_head": "Target, model and actual – year by year",
        "years_note": "Stocks and shares are read in December (2016: the status month), moves into education over "
                      "the calendar year – as in the plan.",
        "score_head": "Each actual figure against the model's band",
        "charts_head": "The actual figures in the charts",
        "left_head": "Figures not compared",
        "help_head": "What is measured? Official figures and the model's number",
        "measure": "Measure", "period": "Period", "actual": "Actual", "mean": "Model, mean",
        "band": "Model, 5–95 %", "inside": "Inside the band", "yes": "yes", "no": "no",
        "status": "(status month: the model's start)",
        "origin_example": "the example for {name}", "origin_files": "the files {files}",
        "indicator_help": "Official figure and the model's number",
    },
}
