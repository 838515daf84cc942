package dev.affect.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module rules of docs/architecture.md, checked on the compiled classes of every module. */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.affect");
    }

    @Test
    void modelAndLayerCodeSpeaksOnlyTensorAndBackend() {
        noClasses().that().resideInAnyPackage("dev.affect.engine.model..", "dev.affect.engine.nn..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.affect.bindings..", "java.lang.foreign..")
                .because("model and layer code never touches a binding class or MemorySegment")
                .check(classes);
    }

    @Test
    void onlyBackendsUseBindings() {
        noClasses().that().resideInAPackage("dev.affect.engine..")
                .and().resideOutsideOfPackages("dev.affect.engine.backend.cpu..", "dev.affect.engine.backend.cuda..")
                .and().doNotHaveFullyQualifiedName("dev.affect.engine.image.TurboJpegDecoder")
                .should().dependOnClassesThat().resideInAPackage("dev.affect.bindings..")
                .because("bindings are used only inside a backend (and the libjpeg-turbo decoder)")
                .check(classes);
    }

    @Test
    void generatedBindingsStayBehindTheirFacade() {
        noClasses().that().resideOutsideOfPackages("dev.affect.bindings..", "dev.affect.engine.backend..")
                .should().dependOnClassesThat().resideInAPackage("dev.affect.bindings..gen..")
                .check(classes);
    }

    @Test
    void lowerLayersNeverReachUp() {
        noClasses().that().resideInAPackage("dev.affect.bindings..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.affect.engine..", "dev.affect.cli..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.affect.engine..")
                .should().dependOnClassesThat().resideInAPackage("dev.affect.cli..")
                .check(classes);
    }

    @Test
    void clientNeverDependsOnEngine() {
        noClasses().that().resideInAPackage("dev.affect.client..")
                .should().dependOnClassesThat().resideInAPackage("dev.affect.engine..")
                .allowEmptyShould(true)
                .because("the SDK ships without the engine")
                .check(classes);
    }
}
