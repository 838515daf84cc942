package dev.affect.engine.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine's internal layering (engine-v2.md), checked where `mvn -pl engine` sees it. */
class EngineArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.affect.engine");
    }

    @Test
    void engineNeverDependsOnTheWireOrTheServer() {
        noClasses().that().resideInAPackage("dev.affect.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "com.google.protobuf..",
                        "dev.affect.server..", "dev.affect.proto..", "dev.affect.client..")
                .because("the engine is a library: serving sits on top of it")
                .check(classes);
    }

    @Test
    void theGraphIrSitsBelowTheBackends() {
        noClasses().that().resideInAPackage("dev.affect.engine.graph..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.affect.engine.backend..", "dev.affect.bindings..",
                        "java.lang.foreign..", "dev.affect.engine.model..")
                .because("graphs and passes are backend-neutral: backends compile them, never the reverse")
                .check(classes);
    }

    @Test
    void modelsSeeOnlyTheSpiNotABackend() {
        noClasses().that().resideInAPackage("dev.affect.engine.model..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.affect.engine.backend.cpu..",
                        "dev.affect.engine.backend.reference..", "dev.affect.engine.backend.cuda..")
                .because("a model runs on any backend through Backend, PreparedModel, Executable and ExecutionContext")
                .check(classes);
    }

    @Test
    void onlyBackendsAndFileFormatsTouchRawTensorMemory() {
        noClasses().that().resideOutsideOfPackages("dev.affect.engine.backend..", "dev.affect.engine.io..",
                        "dev.affect.engine.image..", "dev.affect.engine.tensor..")
                .should().callMethod(dev.affect.engine.tensor.HostTensor.class, "segment")
                .because("a tensor's memory may live on a device: models and graphs use the typed accessors")
                .check(classes);
    }

    @Test
    void backendsDoNotKnowEachOther() {
        noClasses().that().resideInAPackage("dev.affect.engine.backend.cpu..")
                .should().dependOnClassesThat().resideInAPackage("dev.affect.engine.backend.reference..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.affect.engine.backend.reference..")
                .should().dependOnClassesThat().resideInAPackage("dev.affect.engine.backend.cpu..")
                .check(classes);
    }
}
