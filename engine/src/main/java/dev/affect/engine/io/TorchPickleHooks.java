package dev.affect.engine.io;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a torch state_dict pickle may do: build OrderedDicts, rebuild tensors and parameters from
 * storages. Everything else is refused. Tensors come out as unresolved {@link TorchTensorRef}s.
 */
final class TorchPickleHooks implements Unpickler.Hooks {
    /** Resolves a storage key to its bytes (the zip entry {@code <archive>/data/<key>}). */
    @FunctionalInterface
    interface StorageSource {
        TorchStorage storage(String key, TorchGlobal type, long numel);
    }

    private final StorageSource storages;
    private final Map<String, TorchStorage> loaded = new LinkedHashMap<>();

    TorchPickleHooks(StorageSource storages) {
        this.storages = storages;
    }

    @Override
    public Object global(String module, String name) {
        TorchGlobal g = TorchGlobal.find(module, name);
        if (g == null) {
            throw new PickleException("refusing to load global '" + module + "." + name
                    + "' — only state_dict checkpoints are supported");
        }
        return g;
    }

    @Override
    public Object call(Object callable, PyTuple args) {
        if (!(callable instanceof TorchGlobal g) || g.isStorage()) {
            throw new PickleException("cannot call " + describe(callable));
        }
        return switch (g) {
            case ORDERED_DICT -> orderedDict(args);
            case REBUILD_TENSOR_V2 -> rebuildTensor(args);
            case REBUILD_PARAMETER -> {
                // _rebuild_parameter(data, requires_grad, backward_hooks): a Parameter is just its data here.
                if (args.size() != 3 || !(args.get(0) instanceof TorchTensorRef data)) {
                    throw new PickleException("_rebuild_parameter expects (tensor, requires_grad, hooks), got " + args.size() + " arguments");
                }
                yield data;
            }
            default -> throw new PickleException("cannot call " + g.qualifiedName());
        };
    }

    @Override
    public Object newObject(Object cls, PyTuple args) {
        if (cls == TorchGlobal.ORDERED_DICT) {
            return orderedDict(args);
        }
        throw new PickleException("cannot instantiate " + describe(cls));
    }

    @Override
    public Object build(Object obj, Object state) {
        // state_dict() OrderedDicts carry a '_metadata' attribute (per-module versions): not needed.
        if (obj instanceof Map<?, ?> || obj instanceof TorchTensorRef) {
            return obj;
        }
        throw new PickleException("cannot set state on " + describe(obj));
    }

    @Override
    public Object persistentLoad(Object pid) {
        // ('storage', storage_type, key, location, numel), as torch.save's persistent_id writes it; the
        // legacy (non-zip) format adds a sixth element, view_metadata, None unless storages overlap.
        if (pid instanceof PyTuple t6 && t6.size() == 6 && t6.get(5) != null) {
            throw new PickleException("storage views (legacy view_metadata " + t6.get(5) + ") are not supported");
        }
        if (!(pid instanceof PyTuple t) || (t.size() != 5 && t.size() != 6) || !"storage".equals(t.get(0))
                || !(t.get(1) instanceof TorchGlobal type) || !type.isStorage()
                || !(t.get(2) instanceof String key) || !(t.get(4) instanceof Long numel) || numel < 0) {
            throw new PickleException("unsupported persistent id " + pid);
        }
        TorchStorage s = loaded.get(key);
        if (s == null) {
            s = storages.storage(key, type, numel);
            loaded.put(key, s);
        } else if (s.type() != type) {
            throw new PickleException("storage " + key + " is used as both " + s.type().name + " and " + type.name);
        }
        return s;
    }

    private static Map<Object, Object> orderedDict(PyTuple args) {
        Map<Object, Object> d = new LinkedHashMap<>();
        if (args.size() == 1 && args.get(0) instanceof List<?> pairs) { // OrderedDict([(k, v), ...])
            for (Object p : pairs) {
                if (!(p instanceof PyTuple kv) || kv.size() != 2) {
                    throw new PickleException("OrderedDict item is not a pair: " + Unpickler.typeName(p));
                }
                d.put(kv.get(0), kv.get(1));
            }
        } else if (args.size() != 0) {
            throw new PickleException("unsupported OrderedDict arguments");
        }
        return d;
    }

    /** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
    private static TorchTensorRef rebuildTensor(PyTuple a) {
        if (a.size() < 6 || a.size() > 7 || !(a.get(0) instanceof TorchStorage storage)
                || !(a.get(1) instanceof Long offset) || !(a.get(2) instanceof PyTuple size)
                || !(a.get(3) instanceof PyTuple stride)) {
            throw new PickleException("_rebuild_tensor_v2 called with unexpected arguments");
        }
        return new TorchTensorRef(storage, offset, longs(size), longs(stride));
    }

    private static long[] longs(PyTuple t) {
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.get(i) instanceof Long v)) {
                throw new PickleException("tensor size/stride holds " + Unpickler.typeName(t.get(i)) + ", not an int");
            }
            out[i] = v;
        }
        return out;
    }

    private static String describe(Object o) {
        return o instanceof TorchGlobal g ? g.qualifiedName() : Unpickler.typeName(o);
    }
}
