package org.tcpworkbook.kit.report;

import java.util.Comparator;
import java.util.Optional;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Tag;

/**
 * Runs a checker's tasks in their order: the {@code @Nested} classes tagged {@code task-N} by N
 * (Task 2 before Task 10), then any other class by display name. JUnit's own default order is
 * "deterministic but intentionally nonobvious" (it ran lab 2 from Task 7 down to Task 1), and
 * ordering by display name would put "Task 10" before "Task 2". Set for every checker in the kit's
 * junit-platform.properties ({@code junit.jupiter.testclass.order.default}).
 */
public final class TaskOrder implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparingInt((org.junit.jupiter.api.ClassDescriptor d) ->
                        task(d.findRepeatableAnnotations(Tag.class).stream().map(Tag::value).toList()).orElse(Integer.MAX_VALUE))
                .thenComparing(org.junit.jupiter.api.ClassDescriptor::getDisplayName));
    }

    /** N of the first {@code task-N} among the tags, if any. */
    static Optional<Integer> task(Iterable<String> tags) {
        for (String tag : tags) {
            if (tag.matches("task-\\d{1,6}")) {
                return Optional.of(Integer.parseInt(tag.substring("task-".length())));
            }
        }
        return Optional.empty();
    }
}
