package dev.affect.server.jobs;

/** What a job trains. */
public enum HeadKind {
    /** A per-frame MLP head over the frozen backbone's embeddings. */
    FC,
    /** An LSTM head over windows of consecutive frames' embeddings. */
    LSTM,
    /** The whole DDAMFN, its 8-way expression classifier included, on single EXPR frames. */
    FULL_FINE_TUNE
}
