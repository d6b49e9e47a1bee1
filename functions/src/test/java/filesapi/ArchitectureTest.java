package filesapi;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import filesapi.lambda.ApiHandler;
import filesapi.lambda.Services;
import org.junit.jupiter.api.Test;

/**
 * The layout the README describes, held by the build: one core that depends on nothing outward, adapters around it
 * that do not know each other, and no package cycles anywhere.
 */
class ArchitectureTest {
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("filesapi");

    @Test
    void theCoreDependsOnNoAdapterNorOnAwsLambdaOrHttpLibraries() {
        noClasses().that().resideInAPackage("filesapi.core..")
                .should().dependOnClassesThat().resideInAnyPackage("filesapi.lambda..", "filesapi.dynamodb..",
                        "filesapi.s3..", "software.amazon..", "com.amazonaws..", "org.apache..", "org.crac..")
                .check(PRODUCTION);
    }

    @Test
    void theStorageAdaptersKnowTheCoreAndTheirServiceOnly() {
        noClasses().that().resideInAPackage("filesapi.dynamodb..")
                .should().dependOnClassesThat().resideInAnyPackage("filesapi.lambda..", "filesapi.s3..",
                        "software.amazon.awssdk.services.s3..")
                .check(PRODUCTION);
        noClasses().that().resideInAPackage("filesapi.s3..")
                .should().dependOnClassesThat().resideInAnyPackage("filesapi.lambda..", "filesapi.dynamodb..",
                        "software.amazon.awssdk.services.dynamodb..")
                .check(PRODUCTION);
    }

    @Test
    void theWireFormatKnowsTheCoreButNeitherThePipelineNorTheStores() {
        noClasses().that().resideInAPackage("filesapi.lambda.wire..")
                .should().dependOnClassesThat().resideInAnyPackage("filesapi.lambda", "filesapi.lambda.files..",
                        "filesapi.lambda.links..", "filesapi.lambda.uploads..", "filesapi.dynamodb..", "filesapi.s3..",
                        "software.amazon..", "com.amazonaws..")
                .check(PRODUCTION);
    }

    @Test
    void noPackageDependsOnItselfThroughAnother() {
        slices().matching("filesapi.(**)").should().beFreeOfCycles().check(PRODUCTION);
    }

    /** Handlers hold the services they use; the composition root only hands them out in their constructors. */
    @Test
    void handlersKeepNoServiceLocator() {
        noFields().that().areDeclaredInClassesThat().areAssignableTo(ApiHandler.class)
                .should().haveRawType(Services.class)
                .check(PRODUCTION);
    }
}
