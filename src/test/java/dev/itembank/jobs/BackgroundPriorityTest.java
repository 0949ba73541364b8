package dev.itembank.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackgroundPriorityTest {

    @Test
    void aJobThreadRunsAtTheConfiguredNicenessAndPassesItToTheThreadsItStarts() throws Exception {
        // the service's deployments (the Dockerfile's image, the chart) are Linux with renice, as this machine is
        int[] nice = CompletableFuture.supplyAsync(() -> {
            boolean applied = BackgroundPriority.apply(7);
            int own = niceness();
            int[] child = new int[1];
            Thread thread = new Thread(() -> child[0] = niceness());
            thread.start();
            try {
                thread.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return new int[] {applied ? 1 : 0, own, child[0]};
        }, task -> new Thread(task).start()).get();
        assertThat(nice[0]).as("renice applied").isEqualTo(1);
        assertThat(nice[1]).isEqualTo(7);
        assertThat(nice[2]).as("inherited by a thread it starts").isEqualTo(7);
        assertThat(BackgroundPriority.apply(0)).isFalse();
    }

    /** Field 19 of /proc/thread-self/stat (after the parenthesised command name). */
    private static int niceness() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[16]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
