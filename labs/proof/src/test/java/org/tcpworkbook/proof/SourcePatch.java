package org.tcpworkbook.proof;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Patch;
import com.github.difflib.patch.PatchFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code <ClassName>.java.patch} of a fixture: a unified diff ({@code diff -u}) of one source
 * file, parsed and applied by java-diff-utils.
 *
 * <p>Header lines ({@code ---}, {@code +++}, anything before the first hunk) are ignored. Each
 * hunk's lines of the original (context and removed lines) must be found exactly as written; where
 * they are is free: the hunk applies at the place nearest to its header's line number, so an edit
 * elsewhere in the solution does not break the patch. No fuzz: a hunk whose context has changed is
 * refused, naming the hunk, rather than applied where it might mean something else.
 */
final class SourcePatch {

    private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@.*");

    private final Path file;
    private final List<String> headers;
    private final Patch<String> patch;

    private SourcePatch(Path file, List<String> headers, Patch<String> patch) {
        this.file = file;
        this.headers = List.copyOf(headers);
        this.patch = patch;
    }

    /** Reads and checks a patch file: at least one hunk, each as long as its header says. */
    static SourcePatch read(Path file) throws IOException, PatchException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int first = 0;
        while (first < lines.size() && !lines.get(first).startsWith("@@ ")) {
            first++;
        }
        if (first == lines.size()) {
            throw new PatchException("no hunk (a line \"@@ -L,N +L,N @@\"): make the patch with diff -u SOLUTION_FILE MUTANT_FILE");
        }
        List<String> body = new ArrayList<>(List.of("--- solution", "+++ mutant"));
        List<String> headers = new ArrayList<>();
        int[] counts = null; // lines of the original and of the result still expected in the current hunk
        for (String line : lines.subList(first, lines.size())) {
            Matcher hunk = HUNK.matcher(line);
            if (hunk.matches()) {
                checkComplete(headers, counts);
                headers.add(line.substring(0, line.indexOf("@@", 2) + 2));
                counts = new int[] {count(hunk.group(2)), count(hunk.group(4))};
            } else if (line.startsWith("\\")) {
                continue; // "\ No newline at end of file"
            } else if (line.isEmpty() || line.startsWith(" ")) { // a blank context line may have lost its space
                counts[0]--;
                counts[1]--;
            } else if (line.startsWith("-")) {
                counts[0]--;
            } else if (line.startsWith("+")) {
                counts[1]--;
            } else {
                throw new PatchException("hunk " + headers.size() + " (" + headers.get(headers.size() - 1)
                        + ") has a line that is neither context (\" \"), removed (\"-\") nor added (\"+\"): \"" + line + "\"");
            }
            body.add(line);
        }
        checkComplete(headers, counts);
        Patch<String> patch = UnifiedDiffUtils.parseUnifiedDiff(body);
        if (patch.getDeltas().size() != headers.size()) {
            throw new PatchException(headers.size() + " hunks, of which java-diff-utils read " + patch.getDeltas().size());
        }
        return new SourcePatch(file, headers, patch);
    }

    private static int count(String group) {
        return group == null ? 1 : Integer.parseInt(group);
    }

    private static void checkComplete(List<String> headers, int[] counts) throws PatchException {
        if (counts != null && (counts[0] != 0 || counts[1] != 0)) {
            throw new PatchException("hunk " + headers.size() + " (" + headers.get(headers.size() - 1) + ") is "
                    + (counts[0] > 0 || counts[1] > 0 ? "shorter" : "longer") + " than its header says (was it edited by hand?"
                    + " make it again with diff -u)");
        }
    }

    /** The hunks' headers, in order, as written in the file. */
    List<String> hunks() {
        return headers;
    }

    /**
     * Applies every hunk to {@code source} in place; on a hunk that does not apply, leaves it as it
     * was. The hunks are applied one by one from the last up, so that each is looked for from its
     * own header's line number, which the hunks above it have not moved yet.
     */
    void applyTo(Path source) throws IOException, PatchException {
        String text = Files.readString(source, StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        List<AbstractDelta<String>> deltas = patch.getDeltas();
        for (int index = deltas.size() - 1; index >= 0; index--) {
            int number = index + 1;
            Patch<String> hunk = new Patch<>();
            hunk.addDelta(deltas.get(index));
            try {
                lines = hunk.withConflictOutput((verified, delta, result) -> {
                    throw new PatchFailedException(notFound(number, delta));
                }).applyFuzzy(lines, 0);
            } catch (PatchFailedException e) {
                throw new PatchException(e.getMessage());
            }
        }
        String ending = text.endsWith("\n") || text.isEmpty() ? "\n" : "";
        Files.writeString(source, String.join("\n", lines) + ending, StandardCharsets.UTF_8);
    }

    private String notFound(int number, AbstractDelta<String> delta) {
        List<String> expected = delta.getSource().getLines();
        return "hunk " + number + " of " + headers.size() + " (" + headers.get(number - 1) + ") does not apply: its "
                + expected.size() + " lines of the solution" + (expected.isEmpty() ? "" : ", from \"" + expected.get(0).strip() + "\",")
                + " are found nowhere in the file, exactly as written (the solution has changed there):"
                + " make the patch again from the current solution, diff -u SOLUTION_FILE MUTANT_FILE";
    }

    /** A unified diff from {@code from} to {@code to} (three lines of context), as {@code diff -u} makes it. */
    static String unifiedDiff(String from, String to) {
        List<String> original = from.lines().toList();
        Patch<String> diff = DiffUtils.diff(original, to.lines().toList());
        return String.join("\n", UnifiedDiffUtils.generateUnifiedDiff("solution", "mutant", original, diff, 3)) + "\n";
    }

    @Override
    public String toString() {
        return file + " (" + headers.size() + " hunks)";
    }

    /** The patch is not a unified diff, or does not apply; the message names the hunk. */
    static final class PatchException extends Exception {
        private static final long serialVersionUID = 1L;

        PatchException(String message) {
            super(message);
        }
    }
}
