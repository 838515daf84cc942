package dev.affect.engine.io;

import java.lang.foreign.MemorySegment;

/** One storage of a torch zip checkpoint: the raw bytes of {@code <archive>/data/<key>}. */
record TorchStorage(String key, TorchGlobal type, long numel, MemorySegment bytes) {
}
