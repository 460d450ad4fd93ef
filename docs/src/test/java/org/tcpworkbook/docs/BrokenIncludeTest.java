package org.tcpworkbook.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Attributes;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;
import org.asciidoctor.log.LogRecord;
import org.asciidoctor.log.Severity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The notes' build really fails when an include, a tag, a cross-reference or a diagram is broken.
 *
 * <p>The build fails when Asciidoctor logs a message that the plugin's {@code logHandler/failIf}
 * in docs/pom.xml catches: a message of that severity or higher (containing that text, if the pom
 * names one). This test reads that rule, the plugin's {@code attributes} and {@code requires} from
 * the pom itself, so that they cannot drift apart, and renders small documents in process with
 * AsciidoctorJ (the version the plugin runs, a test dependency): each fault alone must log a message
 * the rule catches, and a valid document none. One JRuby for every document, instead of a nested
 * Maven (and a JRuby) per build: seconds instead of minutes.
 */
class BrokenIncludeTest {

    private static final Duration LIMIT = Duration.ofSeconds(240);
    private static final Path POM = Path.of(System.getProperty("docs.pom", "pom.xml")).toAbsolutePath();
    private static final String TAGGED_JAVA = """
            class Tagged {
                // tag::here[]
                int answer = 42;
                // end::here[]
            }
            """;

    @TempDir
    static Path work;

    static PomConfiguration pom;
    static Asciidoctor asciidoctor;
    static final List<LogRecord> records = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startAsciidoctor() throws Exception {
        pom = PomConfiguration.read(POM);
        asciidoctor = Assertions.assertTimeoutPreemptively(LIMIT, () -> {
            Asciidoctor started = Asciidoctor.Factory.create();
            started.registerLogHandler(records::add);
            for (String library : pom.requires) {
                started.requireLibrary(library);
            }
            return started;
        }, "starting AsciidoctorJ (JRuby)");
    }

    @AfterAll
    static void stopAsciidoctor() {
        if (asciidoctor != null) {
            asciidoctor.shutdown();
        }
    }

    @Test
    @DisplayName("the pom's rule: the build fails on any Asciidoctor message at INFO or above")
    void theRuleIsStrictEnough() {
        // A broken cross-reference is reported at INFO only: a rule at WARN would let it through.
        assertThat(pom.failIfSeverity).as("logHandler/failIf/severity in %s", POM).isEqualTo(Severity.INFO);
        assertThat(pom.failIfText).as("logHandler/failIf/containsText in %s (a text would narrow the rule)", POM)
                .isNull();
        assertThat(pom.attributes).as("attributes in %s", POM).containsKeys("solutions", "labs", "snippets");
        assertThat(pom.requires).as("requires in %s", POM).contains("asciidoctor-diagram");
    }

    @Test
    @DisplayName("a valid document renders with the pom's configuration (the control), its diagram too, and says nothing")
    void validDocumentRenders() throws IOException {
        Path docs = Files.createDirectories(work.resolve("valid"));
        write(docs.resolve("Tagged.java"), TAGGED_JAVA);
        Rendered valid = render(docs, "valid.adoc", """
                = Valid

                See <<a-section>>.

                [#a-section]
                == A section

                [source,java]
                ----
                include::Tagged.java[tag=here,indent=0]
                ----

                [source,java]
                ----
                include::{solutions}/lab1/src/main/java/org/tcpworkbook/lab1/Addresses.java[lines=1]
                ----

                [plantuml, target=valid-diagram, format=svg]
                ....
                participant Client
                participant Server
                Client -> Server : SYN
                Server --> Client : SYN-ACK
                Client -> Server : ACK
                ....
                """);
        // Quiet when nothing is wrong: no message at INFO or above (asciidoctor-diagram's DEBUG chatter,
        // looking for a Graphviz it does not need, is below every rule).
        assertThat(valid.messages).as("Asciidoctor's messages about a valid document: the build must be quiet")
                .allMatch(message -> message.startsWith("DEBUG: "));
        assertThat(valid.caught).as("messages about a valid document that would fail the build").isEmpty();
        String page = Files.readString(valid.html, StandardCharsets.UTF_8);
        String text = page.replaceAll("<[^>]*>", "");
        assertThat(text).contains("int answer = 42;").contains("package org.tcpworkbook.lab1;").doesNotContain("tag::");
        assertThat(page).contains("<img src=\"images/valid-diagram.svg\"");
        assertThat(Files.readString(valid.out.resolve("images/valid-diagram.svg"), StandardCharsets.UTF_8))
                .contains("SYN-ACK");
    }

    @Test
    @DisplayName("a missing include file fails the build")
    void missingIncludeFails() throws IOException {
        assertFails("""
                = Broken

                [source,java]
                ----
                include::{solutions}/lab1/src/main/java/org/tcpworkbook/lab1/DoesNotExist.java[]
                ----
                """, "include file not found: \\S*/lab1/src/main/java/org/tcpworkbook/lab1/DoesNotExist\\.java");
    }

    @Test
    @DisplayName("a missing tag fails the build")
    void missingTagFails() throws IOException {
        assertFails("""
                = Broken

                [source,java]
                ----
                include::Tagged.java[tag=no-such-tag]
                ----
                """, "tag 'no-such-tag' not found in include file: \\S*Tagged\\.java");
    }

    @Test
    @DisplayName("a cross-reference to a missing anchor fails the build")
    void brokenCrossReferenceFails() throws IOException {
        assertFails("""
                = Broken

                See <<no-such-section>>.

                [#a-section]
                == A section
                """, "invalid reference: no-such-section");
    }

    @Test
    @DisplayName("a missing attribute (a misspelt {solutions}) fails the build")
    void missingAttributeFails() throws IOException {
        assertFails("""
                = Broken

                The solutions are in {solutionz}.
                """, "missing attribute: solutionz");
    }

    @Test
    @DisplayName("a broken diagram fails the build")
    void brokenDiagramFails() throws IOException {
        assertFails("""
                = Broken

                [plantuml, target=broken-diagram, format=svg]
                ....
                participant A
                this line is not PlantUML
                ....
                """, "Failed to generate image");
    }

    /** Renders {@code source} next to Tagged.java: some message must match, and the pom's rule catch it. */
    private static void assertFails(String source, String expected) throws IOException {
        Path docs = Files.createTempDirectory(work, "broken");
        write(docs.resolve("Tagged.java"), TAGGED_JAVA);
        Rendered broken = render(docs, "broken.adoc", source);
        List<String> caught = broken.caught.stream().map(BrokenIncludeTest::describe).collect(Collectors.toList());
        assertThat(caught).as("the messages about this document that fail the build (failIf: %s and above%s); all"
                + " messages: %s", pom.failIfSeverity, pom.failIfText == null ? "" : ", containing " + pom.failIfText,
                broken.messages).anySatisfy(message -> assertThat(message).containsPattern(expected));
    }

    /** Renders one document with the pom's attributes into a folder of its own, collecting the messages. */
    private static Rendered render(Path docs, String name, String source) throws IOException {
        Path file = docs.resolve(name);
        write(file, source);
        Path out = Files.createDirectories(docs.resolveSibling(docs.getFileName() + "-out"));
        Map<String, Object> attributes = new LinkedHashMap<>(pom.attributes);
        attributes.put("imagesoutdir", out.resolve("images").toString());
        attributes.put("diagram-cachedir", docs.resolveSibling(docs.getFileName() + "-cache").toString());
        Options options = Options.builder()
                .backend(pom.backend)
                .safe(SafeMode.UNSAFE)
                .baseDir(docs.toFile())
                .toDir(out.toFile())
                .mkDirs(true)
                .attributes(attributes(attributes))
                .build();
        records.clear();
        Assertions.assertTimeoutPreemptively(LIMIT, () -> asciidoctor.convertFile(file.toFile(), options),
                "rendering " + name);
        List<LogRecord> all = new ArrayList<>(records);
        List<LogRecord> caught = all.stream().filter(pom::failsTheBuild).collect(Collectors.toList());
        return new Rendered(out.resolve(name.replaceFirst("\\.adoc$", ".html")), out,
                all.stream().map(BrokenIncludeTest::describe).collect(Collectors.toList()), caught);
    }

    /** As the plugin passes them: "true" sets an attribute (to ""), "false" unsets it. */
    private static Attributes attributes(Map<String, Object> values) {
        var builder = Attributes.builder();
        values.forEach((name, value) -> builder.attribute(name,
                "true".equals(value) ? "" : "false".equals(value) ? Boolean.FALSE : value));
        return builder.build();
    }

    private static String describe(LogRecord record) {
        return record.getSeverity() + ": " + record.getMessage();
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    record Rendered(Path html, Path out, List<String> messages, List<LogRecord> caught) { }

    /** What docs/pom.xml tells the asciidoctor-maven-plugin, as far as this test needs it. */
    static final class PomConfiguration {
        Severity failIfSeverity;
        String failIfText;
        String backend = "html5";
        final Map<String, Object> attributes = new LinkedHashMap<>();
        final List<String> requires = new ArrayList<>();

        /** The plugin's rule: severity at or above failIf's, and the message containing its text, if any. */
        boolean failsTheBuild(LogRecord record) {
            boolean severe = record.getSeverity().ordinal() >= failIfSeverity.ordinal();
            return severe && (failIfText == null || record.getMessage().contains(failIfText));
        }

        static PomConfiguration read(Path pomFile) throws Exception {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element project = factory.newDocumentBuilder().parse(pomFile.toFile()).getDocumentElement();
            Map<String, String> properties = new LinkedHashMap<>();
            Path basedir = pomFile.getParent();
            properties.put("project.basedir", basedir.toString());
            properties.put("project.build.directory", basedir.resolve("target").toString());
            Element props = child(project, "properties");
            if (props != null) {
                for (Element property : children(props)) {
                    properties.put(property.getTagName(), property.getTextContent().strip());
                }
            }
            Element plugin = null;
            for (Element candidate : elements(project, "plugin")) {
                if ("asciidoctor-maven-plugin".equals(text(child(candidate, "artifactId")))) {
                    plugin = candidate;
                }
            }
            assertThat(plugin).as("the asciidoctor-maven-plugin in %s", pomFile).isNotNull();
            Element configuration = child(plugin, "configuration");
            assertThat(configuration).as("the plugin's configuration in %s", pomFile).isNotNull();
            PomConfiguration pom = new PomConfiguration();
            Element logHandler = child(configuration, "logHandler");
            Element failIf = logHandler == null ? null : child(logHandler, "failIf");
            assertThat(failIf).as("logHandler/failIf in %s: without it no message fails the build", pomFile).isNotNull();
            String severity = text(child(failIf, "severity"));
            pom.failIfSeverity = severity == null ? Severity.DEBUG : Severity.valueOf(severity);
            pom.failIfText = text(child(failIf, "containsText"));
            String backend = text(child(configuration, "backend"));
            if (backend != null) {
                pom.backend = resolve(backend, properties);
            }
            Element requires = child(configuration, "requires");
            if (requires != null) {
                children(requires).forEach(require -> pom.requires.add(resolve(require.getTextContent().strip(), properties)));
            }
            Element attributes = child(configuration, "attributes");
            if (attributes != null) {
                for (Element attribute : children(attributes)) {
                    String value = attribute.getTextContent().strip();
                    pom.attributes.put(attribute.getTagName(), resolve(value, properties));
                }
            }
            return pom;
        }

        private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

        /** The value with ${...} replaced, repeatedly (properties may refer to properties). */
        private static String resolve(String value, Map<String, String> properties) {
            String resolved = value;
            for (int round = 0; round < 10 && resolved.contains("${"); round++) {
                Matcher matcher = PROPERTY.matcher(resolved);
                StringBuilder result = new StringBuilder();
                while (matcher.find()) {
                    String replacement = properties.get(matcher.group(1));
                    assertThat(replacement).as("the property ${%s} used in the plugin's configuration", matcher.group(1))
                            .isNotNull();
                    matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
                }
                matcher.appendTail(result);
                resolved = result.toString();
            }
            return resolved;
        }

        private static List<Element> elements(Element root, String tag) {
            List<Element> found = new ArrayList<>();
            NodeList nodes = root.getElementsByTagName(tag);
            for (int i = 0; i < nodes.getLength(); i++) {
                found.add((Element) nodes.item(i));
            }
            return found;
        }

        private static List<Element> children(Element parent) {
            List<Element> found = new ArrayList<>();
            for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element element) {
                    found.add(element);
                }
            }
            return found;
        }

        private static Element child(Element parent, String tag) {
            return children(parent).stream().filter(e -> e.getTagName().equals(tag)).findFirst().orElse(null);
        }

        private static String text(Element element) {
            return element == null ? null : element.getTextContent().strip();
        }
    }
}
