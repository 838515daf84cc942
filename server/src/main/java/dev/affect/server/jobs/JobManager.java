package dev.affect.server.jobs;

import dev.affect.server.schedule.ServerUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Runs training jobs: a few at a time on a bounded executor, every state change written to the job
 * store before anyone hears of it, progress fanned out to watchers without ever waiting for them.
 *
 * <p>Jobs outlive the server: {@link #start()} finds the jobs a previous server left PENDING or
 * RUNNING and queues them again, and their runner resumes from the checkpoints in their run folder.
 * {@link #close()} asks running jobs to stop and leaves them RUNNING on disk for that reason.
 */
public final class JobManager implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(JobManager.class.getName());

    /**
     * @param concurrency jobs running at once
     * @param maxPending  jobs waiting at most before StartJob is refused
     * @param watchBuffer events buffered per watcher before the oldest progress events are dropped
     * @param stopGraceMs how long {@link #close()} waits for running jobs to reach a stopping point
     * @param maxUploadBytes the most bytes one upload of training frames may write (StartJobStream)
     */
    public record Settings(int concurrency, int maxPending, int watchBuffer, long stopGraceMs, long maxUploadBytes) {
        /** 2 GiB: a few hundred thousand face crops. */
        public static final long DEFAULT_MAX_UPLOAD_BYTES = 2L << 30;

        public Settings {
            if (concurrency < 1 || maxPending < 1 || watchBuffer < 2 || stopGraceMs < 0 || maxUploadBytes < 1) {
                throw new IllegalArgumentException("concurrency, maxPending and maxUploadBytes must be positive,"
                        + " watchBuffer at least 2, stopGraceMs not negative");
            }
        }

        /** With the default upload cap. */
        public Settings(int concurrency, int maxPending, int watchBuffer, long stopGraceMs) {
            this(concurrency, maxPending, watchBuffer, stopGraceMs, DEFAULT_MAX_UPLOAD_BYTES);
        }

        public static Settings defaults() {
            return new Settings(1, 64, 256, 30_000);
        }

        /** The same with another upload cap. */
        public Settings withMaxUploadBytes(long bytes) {
            return new Settings(concurrency, maxPending, watchBuffer, stopGraceMs, bytes);
        }
    }

    private final JobStore store;
    private final JobRunner runner;
    private final Settings settings;
    private final ThreadPoolExecutor executor;
    private final Map<String, Entry> jobs = new ConcurrentHashMap<>();
    private volatile boolean closing;

    public JobManager(JobStore store, JobRunner runner, Settings settings) {
        this.store = Objects.requireNonNull(store, "store");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.settings = Objects.requireNonNull(settings, "settings");
        // pending jobs are bounded by submit(), so the queue itself need not be
        this.executor = new ThreadPoolExecutor(settings.concurrency(), settings.concurrency(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), Thread.ofPlatform().name("affect-job-", 0).daemon(true).factory());
    }

    /** Loads the jobs on disk and queues again those a previous server left PENDING or RUNNING, oldest first. */
    public void start() throws IOException {
        int stale = store.discardStaging();
        if (stale > 0) {
            LOG.log(System.Logger.Level.INFO, "deleted {0} unfinished upload(s) a previous server left", stale);
        }
        List<JobRecord> found = store.loadAll().stream()
                .sorted(Comparator.comparingLong(j -> j.status().createdMs())).toList();
        for (JobRecord job : found) {
            JobRecord current = job;
            if (job.state() == JobState.RUNNING) {
                current = job.with(job.status().moveTo(JobState.PENDING, now()).withResumedFrom(job.status().epoch()));
                store.save(current);
                LOG.log(System.Logger.Level.INFO, "job {0} was running when the server stopped; resuming after epoch {1}",
                        job.id(), job.status().epoch());
            }
            Entry entry = new Entry(current);
            jobs.put(job.id(), entry);
            if (current.state() == JobState.PENDING) {
                executor.execute(() -> run(entry));
            }
        }
    }

    /**
     * Queues a new job.
     *
     * @param spec normalized and with confirmed paths
     * @throws dev.affect.engine.InvalidInputException when the runner refuses the spec (naming the field)
     * @throws JobPreconditionException    when the runner does not do this kind of job
     * @throws JobQueueFullException       when {@code maxPending} jobs are waiting
     * @throws ServerUnavailableException  when the server is shutting down
     */
    public JobRecord submit(JobSpec spec) {
        Objects.requireNonNull(spec, "spec");
        runner.check(spec);
        return queue(id -> spec);
    }

    /**
     * Checks a spec as {@link #submit} would, before its data arrives (its data root is not read).
     *
     * @throws dev.affect.engine.InvalidInputException naming the field
     * @throws JobPreconditionException when the runner does not do this kind of job
     */
    public void check(JobSpec spec) {
        runner.check(Objects.requireNonNull(spec, "spec"));
    }

    /** A new upload of training frames, in a staging folder of the jobs folder, within the settings' cap. */
    public AbawUpload newUpload() throws IOException {
        return new AbawUpload(store.newStaging(), settings.maxUploadBytes());
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Queues a new job on an upload: the upload is finished (checked for the job's task) and moved
     * into the job's folder ({@link JobStore#dataDir}) in one rename, and the job's data root is that
     * folder. The caller still closes the upload (which deletes it when it was not moved).
     *
     * @throws dev.affect.engine.InvalidInputException when the upload lacks data for the job's task
     * @see #submit(JobSpec) for the rest
     */
    public JobRecord submit(JobSpec spec, AbawUpload upload) {
        Objects.requireNonNull(spec, "spec");
        runner.check(spec);
        upload.finish(JobSpec.abawTask(spec.task()), spec.validationSplit() > 0);
        return queue(id -> {
            try {
                return spec.withDataRoot(upload.moveTo(store.dataDir(id)).toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move the upload into job " + id, e);
            }
        });
    }

    /** Saves and queues a job whose spec is made for its new id (under the lock, once the queue has room). */
    private JobRecord queue(Function<String, JobSpec> specFor) {
        Entry entry;
        synchronized (this) {
            if (closing) {
                throw new ServerUnavailableException("the server is shutting down");
            }
            long pending = jobs.values().stream().filter(e -> e.job.state() == JobState.PENDING).count();
            if (pending >= settings.maxPending()) {
                throw new JobQueueFullException(pending + " jobs are already waiting (at most " + settings.maxPending()
                        + "); retry when one has started");
            }
            String id = newId();
            JobSpec spec = specFor.apply(id);
            JobRecord job = new JobRecord(id, spec, JobStatus.created(spec.hyper().epochs(), now()));
            try {
                store.save(job);
            } catch (RuntimeException e) {
                store.discard(id); // no half-made job folder (e.g. uploaded data without its job.json)
                throw e;
            }
            entry = new Entry(job);
            jobs.put(job.id(), entry);
        }
        executor.execute(() -> run(entry));
        return entry.job;
    }

    /** @throws JobNotFoundException for an unknown id */
    public JobRecord get(String id) {
        return entry(id).job;
    }

    /** Every job, newest first; {@code state} null for all. */
    public List<JobRecord> list(JobState state) {
        return jobs.values().stream().map(e -> e.job)
                .filter(j -> state == null || j.state() == state)
                .sorted(Comparator.comparingLong((JobRecord j) -> j.status().createdMs()).reversed()
                        .thenComparing(JobRecord::id))
                .toList();
    }

    /**
     * Cancels a job: a PENDING one at once, a RUNNING one when its runner next checks (between
     * steps). A job that already ended is returned as it is.
     */
    public JobRecord cancel(String id) {
        Entry entry = entry(id);
        synchronized (entry) {
            switch (entry.job.state()) {
                case PENDING -> entry.update(JobEvent.Kind.STATE,
                        s -> s.moveTo(JobState.CANCELLED, now()).withError("cancelled before it started", 0), List.of());
                case RUNNING -> entry.cancelRequested = true;
                default -> {
                    // ended: nothing to stop
                }
            }
            return entry.job;
        }
    }

    /**
     * Watches a job: the watch's first event is the job now, then its events as they happen, up to
     * the one where it ends.
     *
     * @param onEvent called after each event is buffered (see {@link JobWatch})
     */
    public JobWatch watch(String id, Runnable onEvent) {
        Entry entry = entry(id);
        JobWatch watch = new JobWatch(settings.watchBuffer(), onEvent);
        synchronized (entry) {
            watch.offer(new JobEvent(JobEvent.Kind.SNAPSHOT, entry.job, List.of()));
            if (!watch.ended()) {
                entry.watches.add(watch);
            }
        }
        return watch;
    }

    /**
     * Stops taking jobs and asks running ones to stop; they stay RUNNING on disk, to resume when a
     * server starts on the same jobs folder. Waits up to the stop grace. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(settings.stopGraceMs(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "jobs still running after the stop grace; interrupting them");
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private Entry entry(String id) {
        Entry e = id == null ? null : jobs.get(id);
        if (e == null) {
            throw new JobNotFoundException(id);
        }
        return e;
    }

    private void run(Entry entry) {
        synchronized (entry) {
            if (entry.job.state() != JobState.PENDING || closing) {
                return; // cancelled while queued, or the server is stopping (it stays PENDING on disk)
            }
            entry.update(JobEvent.Kind.STATE, s -> s.moveTo(JobState.RUNNING, now()), List.of());
            entry.startRun();
        }
        JobResult result;
        try {
            Path runDir = store.runDir(entry.job.id());
            result = runner.run(entry.context(runDir));
        } catch (JobDivergedException e) {
            end(entry, s -> s.moveTo(JobState.FAILED, now()).withError("diverged at epoch " + e.epoch() + ", step " + e.step()
                    + ": " + oneLine(e), e.step()));
            return;
        } catch (Exception | Error e) {
            if (entry.cancelRequested && (e instanceof JobCancelledException || e instanceof InterruptedException)) {
                end(entry, s -> s.moveTo(JobState.CANCELLED, now()).withError("cancelled while running", 0));
            } else if (closing && !entry.cancelRequested) {
                LOG.log(System.Logger.Level.INFO, "job {0} stopped for the shutdown; it resumes at the next start",
                        entry.job.id());
            } else {
                if (!(e instanceof dev.affect.engine.InvalidInputException)) {
                    LOG.log(System.Logger.Level.WARNING, "job " + entry.job.id() + " failed", e);
                }
                end(entry, s -> s.moveTo(JobState.FAILED, now()).withError(oneLine(e), 0));
            }
            if (e instanceof Error err && !(e instanceof AssertionError)) {
                throw err;
            }
            return;
        }
        end(entry, s -> s.moveTo(JobState.SUCCEEDED, now()).withHead(result.headCheckpoint().toString()));
    }

    private static void end(Entry entry, UnaryOperator<JobStatus> change) {
        synchronized (entry) {
            entry.update(JobEvent.Kind.STATE, change, List.of());
            entry.watches.clear();
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replace('\n', ' ').replace('\r', ' ').strip();
    }

    private static String newId() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        return "job-" + HexFormat.of().formatHex(b);
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    /** One job in memory: its latest record (the one on disk), its watchers, its stop flag. */
    private final class Entry {
        volatile JobRecord job;
        final List<JobWatch> watches = new CopyOnWriteArrayList<>();
        volatile boolean cancelRequested;
        private long runStartNanos;
        private long stepAtRunStart;
        private int epochAtRunStart;
        private volatile long totalSteps;

        Entry(JobRecord job) {
            this.job = job;
        }

        void startRun() {
            runStartNanos = System.nanoTime();
            stepAtRunStart = job.status().step();
            epochAtRunStart = job.status().epoch();
        }

        /** Saves the change, then tells the watchers; callers hold the entry's lock. */
        void update(JobEvent.Kind kind, UnaryOperator<JobStatus> change, List<MetricPoint> metrics) {
            JobRecord next = job.with(change.apply(job.status()));
            if (kind != JobEvent.Kind.PROGRESS) {
                store.save(next); // a progress event is not worth a disk write; the epoch's is
            }
            job = next;
            publish(new JobEvent(kind, next, metrics));
        }

        private void publish(JobEvent event) {
            for (JobWatch w : watches) {
                if (!w.offer(event)) {
                    watches.remove(w);
                }
            }
        }

        /** Milliseconds left at the current rate; 0 while unknown. */
        long eta(long step, int epoch) {
            double elapsed = (System.nanoTime() - runStartNanos) / 1e6;
            long total = totalSteps;
            if (total > 0 && step > stepAtRunStart) {
                return Math.max(0, Math.round(elapsed / (step - stepAtRunStart) * (total - step)));
            }
            if (epoch > epochAtRunStart) {
                return Math.round(elapsed / (epoch - epochAtRunStart) * (job.status().epochs() - epoch));
            }
            return 0;
        }

        JobContext context(Path runDir) {
            return new JobContext() {
                @Override
                public String jobId() {
                    return job.id();
                }

                @Override
                public JobSpec spec() {
                    return job.spec();
                }

                @Override
                public Path runDir() {
                    return runDir;
                }

                @Override
                public void totalSteps(long steps) {
                    totalSteps = steps;
                }

                @Override
                public void step(long step, Map<String, Double> metrics) {
                    List<MetricPoint> points = MetricPoint.of(metrics, step, now());
                    synchronized (Entry.this) {
                        long eta = eta(step, job.status().epoch());
                        update(JobEvent.Kind.PROGRESS, s -> s.withProgress(step, points, eta), points);
                    }
                }

                @Override
                public void epochEnded(int epoch, long step, Map<String, Double> validationMetrics) {
                    List<MetricPoint> points = MetricPoint.of(validationMetrics, step, now());
                    synchronized (Entry.this) {
                        long eta = eta(step, epoch);
                        update(JobEvent.Kind.EPOCH, s -> s.withEpoch(epoch, step, points, eta), points);
                    }
                }

                @Override
                public boolean stopRequested() {
                    return cancelRequested || closing;
                }
            };
        }
    }
}
