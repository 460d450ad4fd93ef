package org.tcpworkbook.proof;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where one lab's sources live in the workbook, as the lab's pom (through labs/pom.xml) sees them:
 * given code and the skeleton or solution as main sources; the checker plus the shared kit as test
 * sources; the kit's resources (junit-platform.properties) as test resources.
 *
 * @param name      the lab's folder name, e.g. {@code lab1}
 * @param labDir    {@code labs/labN}
 * @param kitDir    {@code labs/kit}
 * @param solution  {@code solutions/labN/src/main/java} (may not exist)
 */
public record LabLayout(String name, Path labDir, Path kitDir, Path solution) {

    /** The workbook root as given by the build ({@code -Dworkbook.root}), else found from the working directory. */
    public static Path workbookRoot() {
        String property = System.getProperty("workbook.root");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("labs/pom.xml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("workbook root not found: set -Dworkbook.root");
    }

    public static LabLayout of(Path workbookRoot, String name) {
        Path labs = workbookRoot.resolve("labs");
        return new LabLayout(name, labs.resolve(name), labs.resolve("kit"),
                workbookRoot.resolve("solutions").resolve(name).resolve("src/main/java"));
    }

    private static final Pattern RELEASE = Pattern.compile("<maven\\.compiler\\.release>(\\d+)</maven\\.compiler\\.release>");

    /**
     * The Java release a lab compiles for: its pom's {@code maven.compiler.release} (lab 7: 21, for
     * virtual threads), else the workbook's 17.
     */
    public static int release(Path workbookRoot, String name) {
        Path pom = workbookRoot.resolve("labs").resolve(name).resolve("pom.xml");
        if (!Files.isRegularFile(pom)) {
            return 17;
        }
        try {
            Matcher m = RELEASE.matcher(Files.readString(pom, java.nio.charset.StandardCharsets.UTF_8));
            return m.find() ? Integer.parseInt(m.group(1)) : 17;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether this JDK can compile and run the lab; if not, says so once on the output, as the
     * build does (labs/pom.xml, profile lab7-skipped).
     */
    public static boolean runnableHere(Path workbookRoot, String name) {
        int release = release(workbookRoot, name);
        if (release <= Runtime.version().feature()) {
            return true;
        }
        if (SKIPPED.add(name)) {
            System.out.println(name + " is skipped: it needs JDK " + release + " or later, and the proof runs on JDK "
                    + Runtime.version().feature());
        }
        return false;
    }

    private static final java.util.Set<String> SKIPPED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Every {@code labs/lab*} folder that has a pom.xml and that this JDK can compile, in natural
     * order (lab2 before lab10).
     */
    public static List<LabLayout> all(Path workbookRoot) {
        try (Stream<Path> dirs = Files.list(workbookRoot.resolve("labs"))) {
            return dirs.filter(d -> d.getFileName().toString().matches("lab\\d+"))
                    .filter(d -> Files.isRegularFile(d.resolve("pom.xml")))
                    .map(d -> d.getFileName().toString())
                    .filter(n -> runnableHere(workbookRoot, n))
                    .sorted((a, b) -> Integer.compare(number(a), number(b)))
                    .map(n -> of(workbookRoot, n))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int number(String labName) {
        return Integer.parseInt(labName.substring(3));
    }

    /** The folder the student edits. */
    public Path skeleton() {
        return labDir.resolve("src/main/java");
    }

    public boolean hasSolution() {
        return Files.isDirectory(solution);
    }

    /** The checker's own folder: the test classes to run come from here only. */
    public Path checker() {
        return labDir.resolve("src/test/java");
    }

    /**
     * The lab's sources with {@code mainFolder} (skeleton, solution or a mutant) as the student's code;
     * {@code variant} names it in reports.
     */
    public LabSources sources(Path mainFolder, String variant) {
        List<Path> main = new ArrayList<>();
        addIfDirectory(main, labDir.resolve("src/given/java"));
        addIfDirectory(main, labDir.resolveSibling("common").resolve("src/main/java"));
        main.add(mainFolder);
        List<Path> resources = new ArrayList<>();
        addIfDirectory(resources, labDir.resolve("src/main/resources"));
        addIfDirectory(resources, labDir.resolve("src/test/resources"));
        resources.add(kitDir.resolve("src/main/resources"));
        return new LabSources(name + " (" + variant + ")", main, List.of(kitDir.resolve("src/main/java")), List.of(checker()), resources);
    }

    public LabSources skeletonSources() {
        return sources(skeleton(), "skeleton");
    }

    public LabSources solutionSources() {
        return sources(solution, "solution");
    }

    private static void addIfDirectory(List<Path> list, Path dir) {
        if (Files.isDirectory(dir)) {
            list.add(dir);
        }
    }
}
