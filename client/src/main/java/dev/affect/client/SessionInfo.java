package dev.affect.client;

import java.util.Set;

/**
 * The server's answer to a stream's open.
 *
 * @param sessionId the id to resume with ({@link StreamOptions#withResume})
 * @param resumed true when this continues an earlier session's state
 * @param pipeline the pipeline that answers
 * @param tasks the tasks the session's results carry
 * @param idleTimeoutMs a session with nothing in flight and no stream is forgotten after this long
 * @param framesAnswered frames of this session answered so far (across resumes)
 */
public record SessionInfo(String sessionId, boolean resumed, String pipeline, Set<Task> tasks, long idleTimeoutMs,
        long framesAnswered) {
    public SessionInfo {
        tasks = Set.copyOf(tasks);
    }
}
