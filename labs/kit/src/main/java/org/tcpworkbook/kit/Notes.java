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

    /**
     * {@code "(notes: lab2.html#lab2-task1-hint1)"}: the first of a task's hints in the notes (each
     * task has up to three, {@code labN-taskK-hint1} to {@code -hint3}, shown one at a time).
     */
    public static String hint(String lab, int task) {
        return see(lab, lab + "-task" + task + "-hint1");
    }
}
