package org.hopseal.cli;

import java.util.concurrent.CountDownLatch;

/** How a long-running command ends: on SIGINT or SIGTERM it stops what it runs, prints {@code STOPPED} and returns. */
final class UntilSignal {
    private UntilSignal() {
    }

    /** Prints {@code ready}, then waits for a signal; then runs {@code stop} and prints {@code STOPPED}. */
    static void await(String ready, Runnable stop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            System.out.println("STOPPED");
            System.out.flush();
            stopped.countDown();
        }, "hopseal-shutdown"));
        System.out.println(ready);
        System.out.flush();
        stopped.await();
    }
}
