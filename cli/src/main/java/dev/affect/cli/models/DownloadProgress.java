package dev.affect.cli.models;

/** Told how far a download has got. */
interface DownloadProgress {
    DownloadProgress NONE = new DownloadProgress() {
        @Override
        public void update(long have, long total) {
        }

        @Override
        public void done() {
        }
    };

    /** {@code have} bytes of {@code total} (-1 when the server did not say). */
    void update(long have, long total);

    /** The transfer ended (completed or not). */
    void done();
}
