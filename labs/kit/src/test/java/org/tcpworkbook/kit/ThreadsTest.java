package org.tcpworkbook.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Threads: the threads the student's code started")
class ThreadsTest {
    private static final Duration SHORT = Duration.ofMillis(300);

    @Test
    @DisplayName("counts a thread started since the snapshot, until it ends, and says where it waits")
    void countsAndJoins() throws Exception {
        Threads since = Threads.now();
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "chat-worker");
        worker.start();
        assertThat(since.started()).containsExactly(worker);
        assertThat(since.stillRunningAfter(SHORT)).singleElement().asString()
                .startsWith("thread \"chat-worker\" still blocked in ").contains("CountDownLatch.await");
        release.countDown();
        assertThat(since.stillRunningAfter(SHORT)).isEmpty();
        assertThat(since.started()).isEmpty();
    }

    @Test
    @DisplayName("leaves out the kit's runners of student code, and threads alive before the snapshot")
    void leavesOutRunnersAndOldThreads() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread old = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "older");
        old.start();
        try {
            Threads since = Threads.now();
            Student.Running<Void> runner = Student.start("waiting", () -> {
                release.await();
                return null;
            });
            assertThat(since.started()).isEmpty();
            assertThat(since.startedWithRunners()).containsExactly(runner.thread());
        } finally {
            release.countDown();
            old.join(SHORT.toMillis());
        }
    }
}
