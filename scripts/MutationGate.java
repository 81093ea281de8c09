import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The mutation gate: reads PIT's {@code mutations.xml} reports and fails when a package has fewer than the given
 * percentage of its mutants detected (killed, or ended by a timeout or memory error; a run error is not).
 * Non-viable mutants do not count. Each package line names the classes that had mutants, so a package measured in
 * part (the CI form) says which part.
 * A package may be held to a lower threshold of its own ({@code PACKAGE=PERCENT}): a ratchet for a package still
 * below the general one, so that it cannot drop further while its tests catch up.
 * Usage: {@code java scripts/MutationGate.java PERCENT [PACKAGE=PERCENT...] REPORT...}.
 */
final class MutationGate {
    private record Score(int detected, int total, Set<String> classes) {
        Score plus(Score other) {
            Set<String> all = new TreeSet<>(classes);
            all.addAll(other.classes);
            return new Score(detected + other.detected, total + other.total, all);
        }

        double percent() {
            return total == 0 ? 100 : 100.0 * detected / total;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java scripts/MutationGate.java PERCENT [PACKAGE=PERCENT...] REPORT...");
            System.exit(2);
        }
        int threshold = Integer.parseInt(args[0]);
        Map<String, Integer> ownThresholds = new TreeMap<>();
        Map<String, Score> byPackage = new TreeMap<>();
        for (int i = 1; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            if (equals > 0) {
                ownThresholds.put(args[i].substring(0, equals), Integer.parseInt(args[i].substring(equals + 1)));
                continue;
            }
            NodeList mutations = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of(args[i]).toFile())
                    .getElementsByTagName("mutation");
            for (int m = 0; m < mutations.getLength(); m++) {
                Element mutation = (Element) mutations.item(m);
                if (mutation.getAttribute("status").equals("NON_VIABLE")) {
                    continue;
                }
                String mutatedClass = mutation.getElementsByTagName("mutatedClass").item(0).getTextContent();
                String pkg = mutatedClass.substring(0, mutatedClass.lastIndexOf('.'));
                // A mutant that broke the run (RUN_ERROR) says nothing about the tests: PIT marks it detected, the gate does not.
                String status = mutation.getAttribute("status");
                boolean detected = status.equals("KILLED") || status.equals("TIMED_OUT") || status.equals("MEMORY_ERROR");
                String simpleName = mutatedClass.substring(pkg.length() + 1).replaceFirst("\\$.*", "");
                byPackage.merge(pkg, new Score(detected ? 1 : 0, 1, Set.of(simpleName)), Score::plus);
            }
        }
        boolean failed = false;
        System.out.printf("%-40s %9s %7s  %s%n", "package", "detected", "score", "classes measured");
        for (Map.Entry<String, Score> e : byPackage.entrySet()) {
            Score s = e.getValue();
            int required = ownThresholds.getOrDefault(e.getKey(), threshold);
            boolean below = s.percent() < required;
            failed |= below;
            String held = required == threshold ? "" : "  (held to " + required + "%; the aim is " + threshold + "%)";
            System.out.printf("%-40s %4d/%-4d %6.1f%%  %s%s%s%n", e.getKey(), s.detected(), s.total(), s.percent(),
                    String.join(" ", s.classes()), held, below ? "  BELOW " + required + "%" : "");
        }
        if (byPackage.isEmpty()) {
            System.err.println("mutation gate: no mutations found in the reports");
            System.exit(1);
        }
        if (failed) {
            System.err.println("mutation gate: FAILED (each package needs at least " + threshold
                    + "% detected, or the threshold it is held to)");
            System.exit(1);
        }
        System.out.println("mutation gate: passed");
    }
}
