package org.tcpworkbook.proof;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A compiled lab, ready for {@link CheckerRun}.
 *
 * @param label          names the build in reports
 * @param mainClasses    given code + skeleton/solution/mutant
 * @param supportClasses the kit
 * @param checkerClasses the checker: the only classes searched for tests
 * @param resourceRoots  also on the checker's class path (junit-platform.properties)
 */
public record CompiledLab(String label, Path mainClasses, Path supportClasses, Path checkerClasses,
                          List<Path> resourceRoots) {

    public CompiledLab {
        resourceRoots = List.copyOf(resourceRoots);
    }

    /**
     * The same checker and kit over other main classes (a mutant compiled with
     * {@link LabCompiler#compileMain}). Sound as long as the variant keeps the API the checker was
     * compiled against, and changes no compile-time constant the checker inlined.
     */
    public CompiledLab withMain(String newLabel, Path newMainClasses) {
        return new CompiledLab(newLabel, newMainClasses, supportClasses, checkerClasses, resourceRoots);
    }

    /** The class path of the checker's class loader, in lookup order. */
    public List<Path> classpath() {
        return Stream.concat(Stream.of(mainClasses, supportClasses, checkerClasses), resourceRoots.stream()).toList();
    }
}
