package org.tcpworkbook.proof;

import java.nio.file.Path;
import java.util.List;

/**
 * The source folders of one build of a lab: compiled in three layers, each against the ones before
 * it and the proof's own test classpath (JUnit, AssertJ, ...).
 *
 * @param label         names the build in reports, e.g. {@code lab1 (skeleton)}
 * @param mainRoots     the lab's main sources: given code plus the skeleton, solution or mutant
 * @param supportRoots  test sources that are not tests: the reference-peer kit
 * @param checkerRoots  the checker; its classes are the only ones run as tests
 * @param resourceRoots put on the checker's class path as they are (the kit's junit-platform.properties)
 */
public record LabSources(String label, List<Path> mainRoots, List<Path> supportRoots,
                         List<Path> checkerRoots, List<Path> resourceRoots) {

    public LabSources {
        mainRoots = List.copyOf(mainRoots);
        supportRoots = List.copyOf(supportRoots);
        checkerRoots = List.copyOf(checkerRoots);
        resourceRoots = List.copyOf(resourceRoots);
    }
}
