package org.tcpworkbook.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The rendered site (generate-resources ran before the tests): its pages, anchors and links. */
class SiteTest {

    private static final Path SITE = Path.of(System.getProperty("docs.site", "target/site"));
    private static final Pattern ID = Pattern.compile("\\sid=\"([^\"]*)\"");
    private static final Pattern HREF = Pattern.compile("\\s(href|src)=\"([^\"]*)\"");

    private static final Map<Path, String> pages = new HashMap<>();

    @BeforeAll
    static void readSite() throws IOException {
        assertThat(SITE.resolve("index.html")).as("the rendered home page").isRegularFile();
        try (Stream<Path> files = Files.walk(SITE)) {
            for (Path page : files.filter(p -> p.toString().endsWith(".html")).toList()) {
                pages.put(page.toAbsolutePath().normalize(), Files.readString(page, StandardCharsets.UTF_8));
            }
        }
    }

    @ParameterizedTest(name = "{0} is rendered")
    @ValueSource(strings = {"index.html", "tcp-and-sockets.html", "lab1.html", "lab2.html", "lab3.html", "lab4.html",
            "lab5.html", "lab6.html", "lab7.html", "glossary.html"})
    void pageExists(String name) {
        assertThat(SITE.resolve(name)).isRegularFile();
    }

    @ParameterizedTest(name = "lab1.html has the anchor #{0}")
    @DisplayName("lab1.html has every anchor that the checkers link to")
    @ValueSource(strings = {"ip-addresses", "checking-connectivity", "ports", "port-ranges", "ephemeral-ports",
            "task-classify", "task-port-category", "task-ephemeral", "task-in-use", "task-probe",
            "check", "run", "self-check"})
    void lab1HasAnchor(String id) {
        assertThat(ids(page(SITE.resolve("lab1.html")))).contains(id);
    }

    @ParameterizedTest(name = "lab2.html has the anchor #{0}")
    @DisplayName("lab2.html has every anchor that the checker links to")
    @ValueSource(strings = {"task-connect", "task-send", "task-receive", "task-end-of-stream", "task-read-timeout",
            "task-close", "task-chat", "check", "run", "self-check", "from-python"})
    void lab2HasAnchor(String id) {
        assertThat(ids(page(SITE.resolve("lab2.html")))).contains(id);
    }

    @ParameterizedTest(name = "lab3.html has the anchor #{0}")
    @DisplayName("lab3.html has every anchor that the checker links to")
    @ValueSource(strings = {"task-bind", "task-converse", "task-client-leaves", "task-idle-timeout", "task-backlog",
            "task-stop", "check", "run", "run-with-nc", "self-check", "from-python"})
    void lab3HasAnchor(String id) {
        assertThat(ids(page(SITE.resolve("lab3.html")))).contains(id);
    }

    @ParameterizedTest(name = "lab4.html has the anchor #{0}")
    @DisplayName("lab4.html has every anchor that the checker links to")
    @ValueSource(strings = {"task-threads", "task-pool", "task-shared", "task-stop", "threads-or-pool", "check", "run",
            "self-check", "from-python"})
    void lab4HasAnchor(String id) {
        assertThat(ids(page(SITE.resolve("lab4.html")))).contains(id);
    }

    @ParameterizedTest(name = "lab5.html has the anchor #{0}")
    @DisplayName("lab5.html has every anchor that the checker links to")
    @ValueSource(strings = {"task-bind", "task-serve", "task-peer-close", "task-kick", "task-stop-accepting",
            "task-shutdown", "task-restart", "task-half-close", "close-sequence", "reset", "half-close", "check", "run",
            "self-check", "from-python"})
    void lab5HasAnchor(String id) {
        assertThat(ids(page(SITE.resolve("lab5.html")))).contains(id);
    }

    @ParameterizedTest(name = "lab7.html has the anchor #{0}")
    @DisplayName("lab7.html has every anchor that the checker links to")
    @ValueSource(strings = {"task-virtual", "task-virtual-lines", "task-virtual-apart", "task-virtual-end", "task-selector",
            "task-writes", "task-stop", "epilogue", "benchmark", "check", "run", "self-check"})
    void lab7HasAnchor(String id) {
        assertThat(ids(page(SITE.resolve("lab7.html")))).contains(id);
    }

    @ParameterizedTest(name = "{0} leads on to {1}, and back")
    @DisplayName("the pages form one path, with Next and Previous links")
    @CsvSource({"index.html, tcp-and-sockets.html", "tcp-and-sockets.html, lab1.html", "lab1.html, lab2.html",
            "lab2.html, lab3.html", "lab3.html, lab4.html", "lab4.html, lab5.html", "lab5.html, lab6.html", "lab6.html, lab7.html", "lab7.html, glossary.html"})
    void pagesAreChained(String page, String next) {
        assertThat(page(SITE.resolve(page))).as("%s links on to %s", page, next)
                .containsPattern("Next: <a href=\"" + Pattern.quote(next) + "\"");
        if (!page.equals("index.html")) { // the first page after the home page links Home
            assertThat(page(SITE.resolve(next))).as("%s links back to %s", next, page)
                    .contains("Previous: <a href=\"" + page + "\"");
        }
    }

    @ParameterizedTest(name = "the glossary gives {0} with its Chinese term {1}")
    @DisplayName("the glossary gives the Chinese terms students meet in Chinese-language material")
    @CsvSource({"socket, 套接字", "port number, 端口号", "three-way handshake, 三次握手", "four-way close, 四次挥手",
            "half-close, 半关闭", "loopback address, 回环地址", "thread pool, 线程池", "byte stream, 字节流"})
    void glossaryHasTerm(String english, String chinese) {
        assertThat(page(SITE.resolve("glossary.html"))).containsPattern("<td class=\"hdlist1\">\\s*(<a id=\"[^\"]+\"></a>)?"
                + java.util.regex.Pattern.quote(english) + "[^<]* — " + java.util.regex.Pattern.quote(chinese));
    }

    @ParameterizedTest(name = "tcp-and-sockets.html has the anchor #{0}")
    @DisplayName("tcp-and-sockets.html has the sections that the labs link to")
    @ValueSource(strings = {"tcp", "connection-oriented", "reliability", "byte-stream", "sockets", "socket-kinds",
            "client-flow", "server-flow", "handshake", "backlog", "closing", "on-the-wire", "on-the-wire-yourself",
            "chat-protocol", "from-python"})
    void conceptsHaveAnchor(String id) {
        assertThat(ids(page(SITE.resolve("tcp-and-sockets.html")))).contains(id);
    }

    @ParameterizedTest(name = "{0} folds away {1} reference solutions")
    @DisplayName("each lab folds every reference solution away in a collapsible block")
    @CsvSource({"lab1.html, 5", "lab2.html, 5", "lab3.html, 3", "lab4.html, 4", "lab5.html, 7"})
    void referenceSolutionsAreFolded(String name, int expected) {
        Pattern folded = Pattern.compile("<details>\\s*<summary[^>]*>Reference solution \\(open after you have"
                + " tried\\)</summary>\\s*<div class=\"content\">\\s*<div class=\"listingblock\">");
        assertThat(folded.matcher(page(SITE.resolve(name))).results().count()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} shows the diagram {1}")
    @DisplayName("the sequence diagrams are rendered at build time to SVG files in the site")
    @CsvSource({"tcp-and-sockets.html, client-flow", "tcp-and-sockets.html, server-flow",
            "tcp-and-sockets.html, handshake", "tcp-and-sockets.html, chat-conversation",
            "lab2.html, lab2-chat", "lab3.html, lab3-serve", "lab4.html, lab4-threads", "lab5.html, lab5-close",
            "lab5.html, lab5-reset", "lab5.html, lab5-half-close"})
    void diagramIsRendered(String name, String diagram) throws IOException {
        String src = "images/" + diagram + ".svg";
        assertThat(page(SITE.resolve(name))).as("%s", name).contains("<img src=\"" + src + "\"");
        Path svg = SITE.resolve(src);
        assertThat(svg).isRegularFile();
        assertThat(Files.readString(svg, StandardCharsets.UTF_8).strip()).as("%s", svg)
                .startsWith("<svg").contains("data-diagram-type='SEQUENCE'").endsWith("</svg>");
    }

    @Test
    @DisplayName("the diagrams' text is at least 14 px, and no step number is drawn bold (the browser spread 10 as '1 0')")
    void diagramTextIsReadable() throws IOException {
        Pattern size = Pattern.compile("font-size='([0-9.]+)'");        // PlantUML's diagrams quote with '
        Pattern chartSize = Pattern.compile("font-size=\"([0-9.]+)\""); // lab 7's benchmark chart with "
        Pattern boldNumber = Pattern.compile("<text[^>]*font-weight='bold'[^>]*>[0-9]+</text>");
        List<Path> svgs;
        try (Stream<Path> files = Files.list(SITE.resolve("images"))) {
            svgs = files.filter(p -> p.toString().endsWith(".svg")).sorted().toList();
        }
        assertThat(svgs).as("diagrams in the site").isNotEmpty();
        for (Path svg : svgs) {
            String text = Files.readString(svg, StandardCharsets.UTF_8);
            List<Double> sizes = (text.contains("data-diagram-type") ? size : chartSize).matcher(text).results().map(m -> Double.parseDouble(m.group(1))).toList();
            assertThat(sizes).as("font sizes in %s", svg.getFileName()).isNotEmpty().allMatch(px -> px >= 14);
            assertThat(boldNumber.matcher(text).results().map(MatchResult::group).toList())
                    .as("bold step numbers in %s", svg.getFileName()).isEmpty();
        }
    }

    @Test
    @DisplayName("every code listing scrolls sideways instead of wrapping a long line to column 0")
    void listingsDoNotWrap() {
        Pattern pre = Pattern.compile("<pre class=\"([^\"]*)\"");
        pages.forEach((page, html) -> pre.matcher(html).results().map(m -> m.group(1))
                .filter(classes -> !classes.equals("lineno"))
                .forEach(classes -> assertThat(classes).as("a listing's classes in %s", SITE.relativize(page))
                        .contains("nowrap")));
    }

    @Test
    @DisplayName("every link between the pages leads to an existing page and anchor")
    void internalLinksResolve() {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<Path, String> entry : pages.entrySet()) {
            Path page = entry.getKey();
            Matcher href = HREF.matcher(entry.getValue());
            while (href.find()) {
                String link = href.group(2).replace("&amp;", "&");
                if (isExternal(link)) {
                    continue;
                }
                checked++;
                int hash = link.indexOf('#');
                String file = hash < 0 ? link : link.substring(0, hash);
                String fragment = hash < 0 ? "" : URLDecoder.decode(link.substring(hash + 1), StandardCharsets.UTF_8);
                Path target = file.isEmpty() ? page : page.resolveSibling(file).normalize();
                String where = SITE.relativize(page) + ": " + href.group(1) + "=\"" + link + "\"";
                if (!Files.isRegularFile(target)) {
                    broken.add(where + " (no such file)");
                } else if (!fragment.isEmpty() && !ids(page(target)).contains(fragment)) {
                    broken.add(where + " (no id \"" + fragment + "\" in " + SITE.relativize(target) + ")");
                }
            }
        }
        assertThat(checked).as("internal links found").isPositive();
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    @DisplayName("the pages load nothing from the network (they read right offline)")
    void nothingRemoteIsLoaded() {
        Pattern resource = Pattern.compile("<(link|script|img)\\b[^>]*\\s(href|src)=\"(https?:)?//[^\"]*\"");
        pages.forEach((page, html) -> assertThat(resource.matcher(html).results().map(MatchResult::group).toList())
                .as("remote resources in %s", SITE.relativize(page)).isEmpty());
    }

    @Test
    @DisplayName("no include or attribute was left unresolved in a page")
    void nothingUnresolved() {
        pages.forEach((page, html) -> assertThat(html)
                .as("%s", SITE.relativize(page))
                .doesNotContain("Unresolved directive")
                .doesNotContain("include::")
                .doesNotContainPattern("\\{(solutions|labs|snippets)\\}"));
    }

    private static boolean isExternal(String link) {
        return link.matches("(?i)^[a-z][a-z0-9+.-]*:.*") || link.startsWith("//");
    }

    private static String page(Path path) {
        String html = pages.get(path.toAbsolutePath().normalize());
        if (html == null) {
            try {
                return Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return html;
    }

    private static Set<String> ids(String html) {
        Set<String> ids = new LinkedHashSet<>();
        ID.matcher(html).results().forEach(m -> ids.add(m.group(1)));
        return ids;
    }
}
