package org.hopseal.benchmarks;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The live-object histogram of this JVM ({@code jcmd <pid> GC.class_histogram}, which runs a full GC first),
 * printed as its largest classes with their bytes and instances per item, so that a scale run shows where its
 * heap goes.
 */
final class HeapHistogram {
    private HeapHistogram() {
    }

    /** The histogram's text: one header, then one line per class, largest first, then a total. */
    static String take() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName command = new ObjectName("com.sun.management:type=DiagnosticCommand");
        return (String) server.invoke(command, "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }

    /**
     * Prints the {@code top} largest classes of {@link #take()}, each with its bytes and instances divided by
     * {@code items} (the channels or workers the run holds).
     */
    static void print(PrintStream out, int top, long items) throws Exception {
        String[] lines = take().split("\n");
        out.printf(Locale.ROOT, "HISTOGRAM top %d classes, per item of %d: bytes, instances, class%n", top, items);
        int printed = 0;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            // Lines look like "   1:   123456   7890123  java.lang.String (java.base@25)".
            if (f.length < 4 || !f[0].endsWith(":") || printed >= top) {
                if (f.length >= 3 && f[0].equals("Total")) {
                    out.printf(Locale.ROOT, "HISTOGRAM %10.1f %8.2f  (all classes)%n", Long.parseLong(f[2]) / (double) items,
                            Long.parseLong(f[1]) / (double) items);
                }
                continue;
            }
            out.printf(Locale.ROOT, "HISTOGRAM %10.1f %8.2f  %s%n", Long.parseLong(f[2]) / (double) items,
                    Long.parseLong(f[1]) / (double) items, f[3]);
            printed++;
        }
    }
}
