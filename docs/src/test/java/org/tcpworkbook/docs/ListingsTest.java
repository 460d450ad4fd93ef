package org.tcpworkbook.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Java listings of the notes cannot drift from the code. Most are included by tag from the
 * solutions (a missing tag fails the build); the others, written into a chapter, are the method
 * signatures a task asks for. Each of those must stand, word for word (spacing aside), in that
 * lab's skeleton, which the student edits, and in its reference solution.
 */
class ListingsTest {
    private static final Path NOTES = Path.of(System.getProperty("docs.sources", "src/docs/asciidoc"));
    private static final Path ROOT = Path.of(System.getProperty("docs.root", ".."));
    private static final Pattern LAB_PAGE = Pattern.compile("(lab\\d+)\\.adoc");
    /** A [source,java] block: its attribute line, optional title lines, then ---- body ----. */
    private static final Pattern BLOCK = Pattern.compile("(?m)^\\[source,java[^\\]]*\\]\\n(?:\\..*\\n)*----\\n(.*?)\\n----$",
            Pattern.DOTALL);

    /** One written-out listing: the page, its line, the declarations in it. */
    record Listing(String page, int line, List<String> declarations) {
    }

    @Test
    @DisplayName("every Java listing written into a lab chapter matches that lab's skeleton and solution")
    void writtenListingsMatchTheCode() throws IOException {
        List<String> drifted = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            Matcher lab = LAB_PAGE.matcher(page.getFileName().toString());
            List<Listing> listings = written(page);
            if (!lab.matches()) {
                listings.forEach(l -> drifted.add(l.page() + ":" + l.line() + " is a Java listing written out on a"
                        + " page that is not a lab chapter: include it by tag from compiled code"));
                continue;
            }
            String skeleton = code(ROOT.resolve("labs").resolve(lab.group(1)).resolve("src/main/java"));
            String solution = code(ROOT.resolve("solutions").resolve(lab.group(1)).resolve("src/main/java"));
            for (Listing listing : listings) {
                for (String declaration : listing.declarations()) {
                    checked++;
                    if (!declares(skeleton, declaration)) {
                        drifted.add(listing.page() + ":" + listing.line() + " \"" + declaration + "\" is not in the skeleton "
                                + "labs/" + lab.group(1) + "/src/main/java");
                    }
                    if (!declares(solution, declaration)) {
                        drifted.add(listing.page() + ":" + listing.line() + " \"" + declaration + "\" is not in the solution "
                                + "solutions/" + lab.group(1) + "/src/main/java");
                    }
                }
            }
        }
        assertThat(checked).as("declarations checked in the lab chapters' written listings").isGreaterThan(20);
        assertThat(drifted).as("written Java listings that drifted from the code").isEmpty();
    }

    @Test
    @DisplayName("the check finds a signature that drifted (the control)")
    void findsADriftedSignature() {
        String code = "public final class X {\n    public void close() throws IOException {\n    }\n}\n";
        assertThat(declares(normalize(code), "public void close() throws IOException")).isTrue();
        assertThat(declares(normalize(code), "public void close()")).isFalse();
        assertThat(declares(normalize(code), "public void stop() throws IOException")).isFalse();
    }

    /** The written-out Java listings of a page (blocks that are not only include:: lines). */
    static List<Listing> written(Path page) throws IOException {
        String text = Files.readString(page, StandardCharsets.UTF_8);
        List<Listing> listings = new ArrayList<>();
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            List<String> lines = block.group(1).lines().filter(l -> !l.isBlank()).toList();
            if (lines.stream().allMatch(l -> l.startsWith("include::"))) {
                continue;
            }
            List<String> declarations = new ArrayList<>();
            for (String line : lines) {
                if (line.startsWith(" ") && !declarations.isEmpty()) {
                    int last = declarations.size() - 1; // a continuation: "        throws IOException"
                    declarations.set(last, declarations.get(last) + " " + line.strip());
                } else {
                    declarations.add(line.strip());
                }
            }
            int line = (int) text.substring(0, block.start()).lines().count() + 1;
            listings.add(new Listing(page.getFileName().toString(), line,
                    declarations.stream().map(ListingsTest::normalize).toList()));
        }
        return listings;
    }

    /** Whether {@code code} declares exactly this: the declaration, then its body or a semicolon. */
    static boolean declares(String code, String declaration) {
        String d = normalize(declaration);
        return code.contains(d + " {") || code.contains(d + ";");
    }

    static String normalize(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static String code(Path dir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                all.append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
            }
        }
        return normalize(all.toString());
    }

    private static List<Path> pages() throws IOException {
        try (Stream<Path> files = Files.list(NOTES)) {
            return files.filter(f -> f.toString().endsWith(".adoc")).sorted().toList();
        }
    }
}
