package org.hopseal.cli;

/** What {@code bench} and {@code soak} say when run without the {@code hopseal} script, which runs them. */
final class ScriptOnly {
    private ScriptOnly() {
    }

    static int refuse(String command) {
        System.err.println("hopseal " + command + ": run it with the hopseal script at the repository's root ('./hopseal " + command
                + " ...'), which builds and runs the benchmarks module");
        return 1;
    }
}
