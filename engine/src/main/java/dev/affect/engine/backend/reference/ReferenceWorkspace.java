package dev.affect.engine.backend.reference;

import dev.affect.engine.backend.Workspace;

/**
 * The reference backend's workspace: holds no memory, since its contexts keep their activations in
 * Java arrays made per execution ({@link ReferenceExecutable#workspaceBytes()} is 0). It only
 * remembers its size and whether it is closed, so misuse fails as on other backends.
 */
final class ReferenceWorkspace implements Workspace {
    private final long bytes;
    private volatile boolean closed;

    ReferenceWorkspace(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a workspace of " + bytes + " bytes");
        }
        this.bytes = bytes;
    }

    @Override
    public long byteSize() {
        return bytes;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "reference workspace of " + bytes + " bytes";
    }
}
