package dev.affect.engine.io;

import dev.affect.engine.tensor.DType;

/**
 * The only Python globals a state_dict checkpoint needs. Anything else (os.system, builtins.eval,
 * a model class) is refused by name before it could ever be called.
 */
enum TorchGlobal {
    ORDERED_DICT("collections", "OrderedDict"),
    REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2"),
    REBUILD_PARAMETER("torch._utils", "_rebuild_parameter"),
    FLOAT_STORAGE("torch", "FloatStorage", DType.F32, 4),
    DOUBLE_STORAGE("torch", "DoubleStorage", DType.F64, 8),
    HALF_STORAGE("torch", "HalfStorage", DType.F16, 2),
    BFLOAT16_STORAGE("torch", "BFloat16Storage", DType.BF16, 2),
    LONG_STORAGE("torch", "LongStorage", DType.I64, 8),
    /** int32, widened to I64 on load because DType has no 32-bit integer. */
    INT_STORAGE("torch", "IntStorage", DType.I64, 4),
    // Known storages we cannot represent: accepted while parsing (e.g. in an optimizer entry we
    // skip) and refused only if such a tensor is actually requested.
    BYTE_STORAGE("torch", "ByteStorage", null, 1),
    CHAR_STORAGE("torch", "CharStorage", null, 1),
    SHORT_STORAGE("torch", "ShortStorage", null, 2),
    BOOL_STORAGE("torch", "BoolStorage", null, 1);

    final String module;
    final String name;
    /** For storages: the DType tensors get (null = unsupported); null for the callables. */
    final DType dtype;
    /** For storages: bytes per element in the file; 0 for the callables. */
    final int elementSize;

    TorchGlobal(String module, String name) {
        this(module, name, null, 0);
    }

    TorchGlobal(String module, String name, DType dtype, int elementSize) {
        this.module = module;
        this.name = name;
        this.dtype = dtype;
        this.elementSize = elementSize;
    }

    boolean isStorage() {
        return elementSize > 0;
    }

    String qualifiedName() {
        return module + "." + name;
    }

    /** The allowed global, or null. */
    static TorchGlobal find(String module, String name) {
        for (TorchGlobal g : values()) {
            if (g.module.equals(module) && g.name.equals(name)) {
                return g;
            }
        }
        return null;
    }
}
