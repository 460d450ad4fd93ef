/**
 * The proof that the checkers grade something, and the engine behind it.
 *
 * <p>The engine compiles one variant of a lab and runs the lab's checker against it, in this JVM:
 * <pre>{@code
 * LabLayout lab = LabLayout.of(LabLayout.workbookRoot(), "lab1");
 * try (LabCompiler compiler = new LabCompiler()) {               // javac --release 17, reused
 *     CompiledLab built = compiler.compile(lab.sources(mutantDir, "mutant 7"), workDir);
 *     CheckerResult result = CheckerRun.of(built).withTimeout(Duration.ofSeconds(60)).run();
 *     result.tests();          // per test: unique id, display name path, tags, status, message, duration
 *     result.allSuccessful();  // the mutant survived
 * }
 * }</pre>
 * For many variants of one lab, compile the checker once and only the main layer per variant:
 * {@code compiled.withMain(label, compiler.compileMain(sources, dir))}.
 *
 * <p>Each run gets a fresh class loader (fresh static state) whose parent is this module's test
 * class loader (JUnit, AssertJ shared); the kit's junit-platform.properties applies through the
 * thread context class loader. A run is bounded; a variant that calls {@code System.exit} would
 * still end this JVM.
 *
 * <p>The tests: {@link org.tcpworkbook.proof.EngineTest} proves the engine on a fake lab;
 * {@link org.tcpworkbook.proof.SolutionsPassTest} shows it agrees with surefire on a real solution (lab1's;
 * the lab modules run every checker on its solution in the same build);
 * {@link org.tcpworkbook.proof.SkeletonsFailTest} shows every checker fails on its skeleton, task by task;
 * {@link org.tcpworkbook.proof.FixturesTest} shows each checker rejects known-wrong programs (the
 * {@link org.tcpworkbook.proof.Fixture}s in {@code labs/proof/fixtures}) with a message that names the bug;
 * its controls show the mechanism on a four-test control lab ({@code src/test/control}, compiled only by
 * these tests), and the rates of the race and leak mutants are measured apart ({@code -Dproof.rates=20},
 * {@link org.tcpworkbook.proof.Rates}) and kept in {@code fixtures/RATES.md}.
 */
package org.tcpworkbook.proof;
