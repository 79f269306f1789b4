"""A hint to the processor's memory system, for the compiled loops over citizens.

A month visits citizens whose records lie far apart in a large array (a chunk of 15 Viborg
replications is about 60 MB): benefit recipients, requests, the sick-listed. Fetching a record from
memory takes longer than applying the month's rules to it, and the processor cannot guess the
next row. A loop that knows its next rows asks for them a few citizens ahead (``prefetch``), so
they are in the cache when their turn comes: the month's pass over benefit recipients takes 40 %
less time (docs/performance.md). A hint changes no result.
"""
from __future__ import annotations

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

AHEAD = 8       # rows asked for ahead of the one being worked on (the month's pass: 4, 8 and 16 alike)


@intrinsic
def prefetch(typingctx, array, index):
    """Ask for ``array[index]`` to be brought into the cache, for reading and writing soon
    (LLVM's ``llvm.prefetch``; no bounds check: the caller passes a valid index)."""
    sig = types.void(array, index)

    def codegen(context, builder, signature, args):
        array_type = signature.args[0]
        arr = context.make_array(array_type)(context, builder, args[0])
        ptr = cgutils.get_item_pointer(context, builder, array_type, arr, [args[1]], wraparound=False)
        byte_ptr = builder.bitcast(ptr, ir.IntType(8).as_pointer())
        i32 = ir.IntType(32)
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.VoidType(), [byte_ptr.type, i32, i32, i32]),
                                            "llvm.prefetch.p0")
        # (address, write = 1, locality = 3: keep in all cache levels, data cache = 1)
        builder.call(fn, [byte_ptr, ir.Constant(i32, 1), ir.Constant(i32, 3), ir.Constant(i32, 1)])
        return context.get_dummy_value()

    return sig, codegen
