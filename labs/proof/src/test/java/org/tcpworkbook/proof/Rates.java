package org.tcpworkbook.proof;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rejection rates of the race and leak mutants, measured by an explicit command and kept in
 * {@value #FILE} (the catalogue's rate table): {@code -Dproof.rates=20} runs every race and leak
 * fixture 20 times (a leak fixture 20 more in the leak JVM) and writes the table, saying when, on
 * which JDK and under what load it was measured. {@code verify} runs each of them only
 * {@link #VERIFY_RUNS} times, and fails unless the table has a row for the fixture as it is now (its
 * files' digest) rejected in every one of at least {@link Fixture#RATE_RUNS} runs.
 */
final class Rates {

    /** In the fixtures folder, next to its README. */
    static final String FILE = "RATES.md";
    /** How many times {@code verify} runs a race or leak fixture (and as many again in the leak JVM). */
    static final int VERIFY_RUNS = 3;
    static final String PROPERTY = "proof.rates";
    static final String COMMAND = "../mvnw -o -Psolutions test -pl proof -Dtest=FixturesTest -Dproof.rates=20";
    private static final String HEADER = "| fixture | lab | kind | rejected/runs | in leak JVM | files | measured |";
    private static final Pattern ROW = Pattern.compile(
            "^\\| (\\S+) \\| (\\S+) \\| ([^|]+?) \\| (\\d+)/(\\d+) \\| (?:(\\d+)/(\\d+)|-) \\| ([0-9a-f]{12}) \\| ([^|]+?) \\|$");

    /** One fixture's measured rate; {@code leakRejected} and {@code leakRuns} are -1 for a fixture that is not a leak. */
    record Row(String fixture, String lab, String kind, int rejected, int runs, int leakRejected, int leakRuns, String digest,
               String measured) {

        boolean every() {
            return runs > 0 && rejected == runs && (leakRuns < 0 || (leakRuns > 0 && leakRejected == leakRuns));
        }

        String shown() {
            return rejected + "/" + runs + (leakRuns < 0 ? "" : ", " + leakRejected + "/" + leakRuns + " in the leak JVM");
        }

        String line() {
            return String.format(Locale.ROOT, "| %s | %s | %s | %d/%d | %s | %s | %s |", fixture, lab, kind, rejected, runs,
                    leakRuns < 0 ? "-" : leakRejected + "/" + leakRuns, digest, measured);
        }
    }

    private Rates() {
    }

    /** Whether a fixture's rate is measured apart: a race or a leak mutant. */
    static boolean rated(Fixture fixture) {
        return fixture.race() || fixture.leak();
    }

    /** The run count {@code -Dproof.rates} asks for, if given. */
    static Optional<Integer> measuring() {
        return Optional.ofNullable(Integer.getInteger(PROPERTY));
    }

    static String kind(Fixture fixture) {
        return fixture.race() && fixture.leak() ? "race, leak" : fixture.race() ? "race" : fixture.leak() ? "leak" : "-";
    }

    static Path file(Path fixturesFolder) {
        return fixturesFolder.resolve(FILE);
    }

    /**
     * The first 12 hex digits of the SHA-256 of the fixture's files (fixture.properties, then each
     * patch by name): a changed fixture has no measured rate until it is measured again.
     */
    static String digest(Fixture fixture) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            List<Path> files = new ArrayList<>();
            files.add(Path.of(Fixture.PROPERTIES));
            files.addAll(fixture.patches());
            for (Path file : files) {
                sha.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                // line ends normalised, so that a checkout with CRLF has the same digest
                sha.update(Files.readString(fixture.dir().resolve(file), StandardCharsets.UTF_8).replace("\r\n", "\n")
                        .getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rows of the table, by fixture; none if there is no table yet. A line that looks like a row but is not one is refused. */
    static Map<String, Row> read(Path file) {
        Map<String, Row> rows = new TreeMap<>();
        if (!Files.isRegularFile(file)) {
            return rows;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.startsWith("| ") || line.equals(HEADER) || line.startsWith("|---")) {
                    continue;
                }
                Matcher m = ROW.matcher(line);
                if (!m.matches()) {
                    throw new IllegalStateException(file + ": not a row of the rate table: " + line);
                }
                rows.put(m.group(1), new Row(m.group(1), m.group(2), m.group(3), Integer.parseInt(m.group(4)),
                        Integer.parseInt(m.group(5)), m.group(6) == null ? -1 : Integer.parseInt(m.group(6)),
                        m.group(7) == null ? -1 : Integer.parseInt(m.group(7)), m.group(8), m.group(9)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /**
     * What is wrong with the recorded rate of a race or leak fixture, if anything: no row, a row for
     * other files, fewer than {@link Fixture#RATE_RUNS} runs, or a run that was not rejected.
     */
    static Optional<String> problem(Fixture fixture, Map<String, Row> rows, Path file) {
        Row row = rows.get(fixture.name());
        String again = "; measure it (from labs/): " + COMMAND + " -Dproof.fixtures='" + fixture.name() + "', and commit "
                + file.getFileName();
        if (row == null) {
            return Optional.of(fixture.name() + ": no measured rate in " + file + again);
        }
        String digest = digest(fixture);
        if (!row.digest().equals(digest)) {
            return Optional.of(fixture.name() + ": the rate in " + file + " was measured on other files (" + row.digest()
                    + "; now " + digest + ")" + again);
        }
        if (row.runs() < Fixture.RATE_RUNS || (fixture.leak() && row.leakRuns() < Fixture.RATE_RUNS)) {
            return Optional.of(fixture.name() + ": its rate in " + file + " (" + row.shown() + ") is over fewer than "
                    + Fixture.RATE_RUNS + " runs" + again);
        }
        if (!row.every()) {
            return Optional.of(fixture.name() + ": rejected in only " + row.shown() + " runs, as " + file
                    + " records: a race or leak mutant must be rejected every time");
        }
        return Optional.empty();
    }

    /** When and where a rate is measured now: "2026-12-02 07:40Z, JDK 17.0.13, 2 cores, load 6.3". */
    static String now() {
        return String.format(Locale.ROOT, "%s, JDK %s, %d cores, load %.1f",
                Instant.now().truncatedTo(ChronoUnit.MINUTES).toString().replace('T', ' ').replace(":00Z", "Z"),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /**
     * Writes the table: the rows measured now, over those of the fixtures not measured this time
     * (a run of some fixtures only keeps the others' rows, each with its own digest and date).
     */
    static void write(Path file, List<Row> measuredNow) {
        Map<String, Row> rows = read(file);
        measuredNow.forEach(r -> rows.put(r.fixture(), r));
        StringBuilder text = new StringBuilder();
        text.append("# Rejection rates of the race and leak mutants\n\n");
        text.append("Written by FixturesTest when it is run with `-Dproof.rates=N`; from labs/:\n\n    ").append(COMMAND)
                .append("\n\n(add `-Dproof.fixtures='name|name'` to measure some only: the other rows are kept).\n");
        text.append("Each race and leak fixture runs N times, a leak fixture N more times in the leak JVM (-Xmx64m,\n"
                + "a collection forced before each leak check). `files` is the digest of the fixture's files the\n"
                + "rate was measured on; `measured` says when, on which JDK, and the machine's load average at the\n"
                + "end of the run. `verify` runs each of these fixtures only " + VERIFY_RUNS + " times (and " + VERIFY_RUNS
                + " in the leak JVM), and fails\nunless this table has its row, for its current files, with every one of at least "
                + Fixture.RATE_RUNS + " runs rejected.\n\n");
        text.append(HEADER).append('\n').append("|---|---|---|---|---|---|---|\n");
        rows.values().forEach(r -> text.append(r.line()).append('\n'));
        try {
            Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
