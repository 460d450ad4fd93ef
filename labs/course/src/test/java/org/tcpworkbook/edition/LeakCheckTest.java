package org.tcpworkbook.edition;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpworkbook.proof.LabLayout;

/** The leak check can fail: it finds a solution's line planted in any kind of file, and only that. */
class LeakCheckTest {

    static final Path ROOT = LabLayout.workbookRoot();

    @Test
    @DisplayName("the secret lines are the solutions' code, less what the skeletons, given code and shipped code already have")
    void secrets() throws IOException {
        LeakCheck.Secrets secrets = LeakCheck.secrets(ROOT);
        List<String> lines = secrets.secrets().stream().map(LeakCheck.Secret::line).toList();
        assertThat(secrets.solutionFiles()).isGreaterThanOrEqualTo(9);
        assertThat(lines).as("secret lines").hasSizeGreaterThan(150)
                // lab2's ChatClient reads and writes UTF-8 lines: that is the solution...
                .contains("this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), ChatProtocol.CHARSET));")
                // ...a signature the skeleton has, a line the given code has, a closing brace, a tag are not.
                .doesNotContain("public static ChatClient connect(InetSocketAddress server, Duration connectTimeout, Duration readTimeout)",
                        "}", "// tag::streams[]")
                .allSatisfy(line -> assertThat(line.length()).isGreaterThanOrEqualTo(LeakCheck.SHORTEST));
        int counted = secrets.memberLines() - secrets.trivial() - secrets.given() - secrets.shipped() - secrets.taught();
        assertThat(secrets.secrets()).as("secret lines, each once (a line may stand in several solutions)").hasSizeLessThanOrEqualTo(counted);
    }

    @Test
    @DisplayName("a solution line planted in Java, AsciiDoc or highlighted HTML is found, with its file and line; nothing else is")
    void findsPlantedLines(@TempDir Path edition) throws IOException {
        LeakCheck.Secrets secrets = LeakCheck.secrets(ROOT);
        String line = "this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), ChatProtocol.CHARSET));";
        assertThat(secrets.secrets()).extracting(LeakCheck.Secret::line).contains(line);

        write(edition.resolve("clean.adoc"), "= Clean\n\nNothing of a solution here: `in.readLine()`.\n");
        write(edition.resolve("labs/lab2/src/main/java/ChatClient.java"), "class ChatClient {\n    ChatClient() {\n        "
                + line + "\n    }\n}\n");
        write(edition.resolve("docs/lab2.adoc"), "= Lab 2\n\n[source,java]\n----\n  " + line.replace(" = ", "  =  ") + "\n----\n");
        // As Rouge highlights it in the rendered site: tags around each token, quotes and angle brackets escaped.
        write(edition.resolve("site/lab2.html"), "<html>\n<pre class=\"rouge highlight\"><code data-lang=\"java\">"
                + "<span class=\"k\">this</span><span class=\"o\">.</span><span class=\"na\">in</span> <span class=\"o\">=</span>"
                + " <span class=\"k\">new</span> <span class=\"nc\">BufferedReader</span><span class=\"o\">(</span><span class=\"k\">new</span>"
                + " <span class=\"nc\">InputStreamReader</span><span class=\"o\">(</span>socket<span class=\"o\">.</span>"
                + "<span class=\"na\">getInputStream</span><span class=\"o\">(),</span> <span class=\"nc\">ChatProtocol</span>"
                + "<span class=\"o\">.</span><span class=\"na\">CHARSET</span><span class=\"o\">));</span>\n</code></pre>\n</html>\n");
        Files.write(edition.resolve("font.woff"), new byte[] {0, 1, 2, 0});

        LeakCheck.Report report = LeakCheck.scan(edition, secrets);

        Map<String, Integer> found = new java.util.TreeMap<>();
        report.leaks().stream().filter(l -> l.secret().line().equals(line)).forEach(l -> found.put(l.file(), l.line()));
        assertThat(found).containsExactlyInAnyOrderEntriesOf(Map.of(
                "labs/lab2/src/main/java/ChatClient.java", 3,
                "docs/lab2.adoc", 5,
                "site/lab2.html", 2));
        assertThat(report.leaks()).extracting(LeakCheck.Leak::file).doesNotContain("clean.adoc");
        assertThat(report.binaryFiles()).isEqualTo(1);
        assertThat(report.filesScanned()).isEqualTo(4);
        assertThat(report.leaks().get(0).toString()).contains("solutions/lab2/src/main/java/org/tcpworkbook/lab2/ChatClient.java:");
    }

    @Test
    @DisplayName("markup is read as a reader sees it: tags dropped, character references decoded")
    void markup() {
        assertThat(LeakCheck.markupToText("<b>a</b> &lt;b&gt; &amp;&quot;&#39;&#x41;&nbsp;")).isEqualTo("a <b> &\"'A ");
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
