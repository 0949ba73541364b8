package dev.itembank;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The module boundaries the style guide promises, checked on the compiled classes. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.itembank");
    }

    @Test
    void psychometricsIsPlainJava() {
        noClasses().that().resideInAPackage("dev.itembank.psychometrics..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta..",
                        "javax.persistence..", "com.fasterxml.jackson..", "tools.jackson..", "org.hibernate..")
                .because("the science can be used and benchmarked on its own")
                .check(classes);
    }

    @Test
    void psychometricsDependsOnNoFeature() {
        noClasses().that().resideInAPackage("dev.itembank.psychometrics..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.itembank.benchmarks..",
                        "dev.itembank.calibrations..", "dev.itembank.subsets..", "dev.itembank.estimates..",
                        "dev.itembank.jobs..", "dev.itembank.security..", "dev.itembank.api..",
                        "dev.itembank.database..")
                .check(classes);
    }

    @Test
    void theCommandLineClientIsAClientOfTheRestApiOnly() {
        noClasses().that().resideInAPackage("dev.itembank.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta..",
                        "dev.itembank.benchmarks..", "dev.itembank.calibrations..", "dev.itembank.subsets..",
                        "dev.itembank.estimates..", "dev.itembank.jobs..", "dev.itembank.security..",
                        "dev.itembank.api..", "dev.itembank.database..", "dev.itembank.psychometrics..")
                .because("it talks to a running service over HTTP, as any client would")
                .check(classes);
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("dev.itembank.(*)..").should().beFreeOfCycles().check(classes);
    }
}
