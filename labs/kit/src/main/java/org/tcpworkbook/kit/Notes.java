package org.tcpworkbook.kit;

/** Where the lecture notes explain something: checkers end their messages with it. */
public final class Notes {
    private Notes() {
    }

    /**
     * {@code "(notes: lab1.html#task-classify)"}: the page and section of the rendered notes
     * (docs/target/site/ after {@code ./mvnw -pl docs generate-resources}).
     */
    public static String see(String page, String section) {
        return "(notes: " + page + ".html#" + section + ")";
    }
}
