package org.tcpworkbook.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Attributes;
import org.asciidoctor.AttributesBuilder;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;
import org.asciidoctor.log.LogHandler;
import org.asciidoctor.log.LogRecord;
import org.asciidoctor.log.Severity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.tcpworkbook.edition.LeakCheck;
import org.tcpworkbook.edition.StudentEdition;

/**
 * The student's path through the student edition: build it from this workbook (as
 * {@code -Pstudent-edition} does, less the site, which the notes are rendered into below), unpack
 * the zip in a temporary folder, and there: it holds what a student needs and nothing that points
 * at what it lacks; every lab's checker compiles against the skeleton and fails on it task by task,
 * as {@link SkeletonsFailTest} demands of the full workbook; the notes render without a single
 * Asciidoctor message; and no line of a reference solution's code is in any file of it, the
 * rendered pages included.
 */
class StudentEditionTest {

    static final Path ROOT = LabLayout.workbookRoot();

    @TempDir
    static Path work;

    static Path edition;
    static StudentEdition.Result built;
    static Asciidoctor asciidoctor;

    @BeforeAll
    static void buildAndUnpack() throws IOException {
        built = StudentEdition.build(ROOT, work.resolve("out"), new StudentEdition.Options(false, true, null));
        Path unpacked = work.resolve("unpacked");
        unzip(built.zip(), unpacked);
        edition = unpacked.resolve(StudentEdition.NAME);
        System.out.println(built.summary());
    }

    @AfterAll
    static void closeAsciidoctor() {
        if (asciidoctor != null) {
            asciidoctor.close();
        }
    }

    /** One Asciidoctor (one JRuby) for both renders: it takes seconds to start. */
    static synchronized Asciidoctor asciidoctor() {
        if (asciidoctor == null) {
            asciidoctor = Asciidoctor.Factory.create();
        }
        return asciidoctor;
    }

    @Test
    @DisplayName("the zip holds the tree, and the tree what a student needs: labs, kit, common, notes, snippets, mvnw, a README")
    void holdsWhatStudentsNeed() throws IOException {
        assertThat(files(edition)).isEqualTo(files(built.folder()));
        assertThat(edition.resolve("mvnw")).isRegularFile();
        try (FileSystem zip = FileSystems.newFileSystem(built.zip(), Map.of("enablePosixFileAttributes", "true"))) {
            Path top = zip.getPath(StudentEdition.NAME);
            assertThat(Files.getPosixFilePermissions(top.resolve("mvnw"))).as("mvnw in the zip").contains(PosixFilePermission.OWNER_EXECUTE);
            assertThat(Files.getPosixFilePermissions(top.resolve("pom.xml"))).as("pom.xml in the zip").doesNotContain(PosixFilePermission.OWNER_EXECUTE);
            assertThat(Files.getLastModifiedTime(top.resolve("pom.xml"))).isEqualTo(StudentEdition.TIMESTAMP);
        }
        for (String path : List.of(".mvn/wrapper/maven-wrapper.properties", "pom.xml", "README.adoc", ".gitignore", "labs/pom.xml",
                "labs/kit/pom.xml", "labs/kit/platform.args", "labs/kit/test-hosts",
                "labs/kit/src/main/resources/junit-platform.properties", "labs/common/src/main/java/org/tcpworkbook/chat/ChatProtocol.java",
                "docs/pom.xml", "docs/src/docs/asciidoc/index.adoc", "docs/snippets/lab1-addresses.jsh",
                "mvnw.cmd", ".gitattributes", "labs/.mvn/maven.config", "labs/progress.java", "labs/reset.java")) {
            assertThat(edition.resolve(path)).as(path).isRegularFile();
        }
        List<String> labs = LabLayout.all(ROOT).stream().map(LabLayout::name).toList();
        assertThat(LabLayout.all(edition)).extracting(LabLayout::name).isEqualTo(labs);
        for (String lab : labs) {
            for (String folder : List.of("src/main/java", "src/given/java", "src/test/java")) {
                assertThat(edition.resolve("labs").resolve(lab).resolve(folder)).as(lab + "/" + folder).isDirectory();
            }
        }
        assertThat(Files.readString(edition.resolve("README.adoc"), StandardCharsets.UTF_8))
                .contains("This is the student edition").doesNotContain("For instructors");
    }

    @Test
    @DisplayName("and nothing else: no solutions, proof, edition builder, CI, instructor's guide, notes' tests or build output")
    void holdsNothingElse() throws IOException {
        for (String path : List.of("solutions", "labs/proof", "labs/course", "labs/edition", ".ci", "docs/src/test", "docs/src/docs/asciidoc/instructor.adoc")) {
            assertThat(edition.resolve(path)).as(path).doesNotExist();
        }
        assertThat(files(edition)).noneMatch(f -> f.contains("/target/") || f.startsWith("target/") || f.endsWith(".class"));
        assertThat(LabLayout.all(edition)).noneMatch(LabLayout::hasSolution);
    }

    @Test
    @DisplayName("no file points at what the edition lacks: no -Psolutions, {solutions}, labs/proof, instructor page, or marker left")
    void pointsAtNothingMissing() throws IOException {
        Pattern missing = Pattern.compile("-Psolutions|<id>solutions</id>|\\{solutions\\}|\\{lab\\d+-solution\\}|solutions/lab\\d"
                + "|labs/(proof|course)|instructor\\.(adoc|html)|<module>(proof|course|edition)</module>|(ifn?def|endif)::student-edition");
        List<String> found = new ArrayList<>();
        for (String file : files(edition)) {
            String text = Files.readString(edition.resolve(file), StandardCharsets.UTF_8);
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher matcher = missing.matcher(lines[i]);
                if (matcher.find()) {
                    found.add(file + ":" + (i + 1) + ": " + matcher.group() + " in \"" + lines[i].strip() + "\"");
                }
            }
        }
        assertThat(found).as("references to what the student edition lacks").isEmpty();
    }

    @TestFactory
    @DisplayName("in the edition, every lab's checker fails on the untouched skeleton, task by task")
    Stream<DynamicTest> checkersFailOnTheSkeletons() {
        LabCompiler compiler = new LabCompiler(); // one javac, warmed up once, for every lab
        return LabLayout.all(edition).stream().map(lab -> dynamicTest(lab.name(), () -> {
            long start = System.nanoTime();
            CompiledLab compiled = compiler.compile(lab.skeletonSources(), work.resolve("classes").resolve(lab.name()));
            java.time.Duration compiling = java.time.Duration.ofNanos(System.nanoTime() - start);
            CheckerResult result = CheckerRun.of(compiled).run();
            System.out.println(SkeletonsFailTest.table(lab.name(), result, compiling));
            List<String> defects = SkeletonsFailTest.defects(lab.name(), result, SkeletonsFailTest.kitTimeout());
            assertThat(defects).withFailMessage("%s in the student edition: %d defects:%n  %s%n%s", lab.name(), defects.size(),
                    String.join("\n  ", defects), result.describe()).isEmpty();
        })).onClose(compiler::close);
    }

    @Test
    @DisplayName("the edition's notes render without an Asciidoctor message, and no page of them holds a solution's line")
    void notesRenderAndLeakNothing() throws IOException {
        Path sources = edition.resolve("docs/src/docs/asciidoc");
        Path site = work.resolve("site");
        List<String> messages = new ArrayList<>();
        List<Path> pages;
        try (Stream<Path> list = Files.list(sources)) {
            pages = list.filter(p -> p.toString().endsWith(".adoc")).sorted().toList();
        }
        assertThat(pages).extracting(p -> p.getFileName().toString()).contains("index.adoc", "lab1.adoc").doesNotContain("instructor.adoc");
        Asciidoctor asciidoctor = asciidoctor();
        LogHandler handler = (LogRecord record) -> {
                if (record.getSeverity().ordinal() >= Severity.INFO.ordinal()) {
                    messages.add(record.getSeverity() + " " + (record.getCursor() == null ? "" : record.getCursor().getFile()
                            + ":" + record.getCursor().getLineNumber() + " ") + record.getMessage());
                }
        };
        asciidoctor.registerLogHandler(handler);
        try {
            AttributesBuilder attributes = Attributes.builder();
            docsAttributes(edition.resolve("docs")).forEach(attributes::attribute);
            Options options = Options.builder().safe(SafeMode.UNSAFE).toDir(site.toFile()).mkDirs(true)
                    .baseDir(sources.toFile()).attributes(attributes.build()).build();
            for (Path page : pages) {
                asciidoctor.convertFile(page.toFile(), options);
            }
        } finally {
            asciidoctor.unregisterLogHandler(handler);
        }
        assertThat(messages).as("Asciidoctor's messages rendering the student edition's notes (the docs build fails on any)").isEmpty();
        for (Path page : pages) {
            String html = Files.readString(site.resolve(page.getFileName().toString().replace(".adoc", ".html")), StandardCharsets.UTF_8);
            assertThat(html).as("%s", page.getFileName()).doesNotContain("Reference solution").doesNotContain("include::")
                    .doesNotContain("Unresolved directive");
        }
        assertThat(Files.readString(site.resolve("lab1.html"), StandardCharsets.UTF_8)).contains("Task 1").contains("Hint");

        LeakCheck.Report report = LeakCheck.scan(work.resolve("unpacked"), LeakCheck.secrets(ROOT));
        LeakCheck.Report pagesReport = LeakCheck.scan(site, LeakCheck.secrets(ROOT));
        System.out.println(report.summary());
        System.out.println("rendered pages: " + pagesReport.summary());
        assertThat(report.secrets().secrets()).hasSizeGreaterThan(150);
        assertThat(report.leaks()).as("solution lines in the unpacked edition").isEmpty();
        assertThat(pagesReport.filesScanned()).isGreaterThanOrEqualTo(pages.size());
        assertThat(pagesReport.leaks()).as("solution lines in the rendered notes").isEmpty();
    }

    @Test
    @DisplayName("the same notes rendered from the full sources, without the attribute, would leak (the check sees it)")
    void fullNotesWouldLeak() throws IOException {
        Path page = ROOT.resolve("docs/src/docs/asciidoc/lab2.adoc");
        Path site = work.resolve("full-site");
        AttributesBuilder attributes = Attributes.builder();
        docsAttributes(ROOT.resolve("docs")).forEach(attributes::attribute);
        asciidoctor().convertFile(page.toFile(), Options.builder().safe(SafeMode.UNSAFE).toDir(site.toFile()).mkDirs(true)
                .baseDir(page.getParent().toFile()).attributes(attributes.build()).build());
        LeakCheck.Report report = LeakCheck.scan(site, LeakCheck.secrets(ROOT));
        assertThat(report.leaks()).as("solution lines in lab2.html rendered from the instructor's notes")
                .anySatisfy(leak -> assertThat(leak.secret().origin()).startsWith("solutions/lab2/"))
                .allSatisfy(leak -> assertThat(leak.file()).isEqualTo("lab2.html"));
    }

    /**
     * The Asciidoctor attributes of a docs/pom.xml ({@code <attributes>} of the asciidoctor plugin),
     * with the pom's folders filled in; the diagram settings are left out (this render draws none).
     */
    static Map<String, Object> docsAttributes(Path docs) throws IOException {
        String pom = Files.readString(docs.resolve("pom.xml"), StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("(?s)<attributes>(.*?)</attributes>").matcher(pom);
        assertThat(block.find()).as("<attributes> in %s", docs.resolve("pom.xml")).isTrue();
        String body = block.group(1).replaceAll("(?s)<!--.*?-->", "");
        Map<String, Object> attributes = new LinkedHashMap<>();
        Matcher entry = Pattern.compile("<([\\w-]+)\\s*/>|<([\\w-]+)>([^<]*)</\\2>").matcher(body);
        while (entry.find()) {
            String name = entry.group(1) != null ? entry.group(1) : entry.group(2);
            String value = entry.group(1) != null ? "" : entry.group(3)
                    .replace("${project.basedir}", docs.toString())
                    .replace("${project.build.directory}", docs.resolve("target").toString());
            if (!name.startsWith("diagram") && !name.startsWith("images") && !value.contains("${")) {
                attributes.put(name, value);
            }
        }
        return attributes;
    }

    private static Set<String> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    /** Unpacks {@code zip} into {@code target}. */
    private static void unzip(Path zip, Path target) throws IOException {
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                Path file = target.resolve(entry.getName()).normalize();
                assertThat(file.startsWith(target)).as("zip entry %s stays inside the folder", entry.getName()).isTrue();
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else {
                    Files.createDirectories(file.getParent());
                    Files.copy(entries, file);
                }
            }
        }
    }
}
