package io.nurtureflow;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The direction of dependencies that ARCHITECTURE.md describes, kept by the build. */
@AnalyzeClasses(packages = "io.nurtureflow", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

	/** Only the engine's own neighbours know Camunda: journeys, scoring, security and wiring. */
	@ArchTest
	static final ArchRule camundaStaysAtTheEdges = noClasses().that()
		.resideOutsideOfPackages("..journey..", "..scoring..", "..security..", "..config..", "..demo..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("org.camunda..");

	/** Services never call back into the edges that call them. */
	@ArchTest
	static final ArchRule servicesDoNotKnowTheJourneyEngine = noClasses().that()
		.resideInAnyPackage("..lead..", "..touch..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("io.nurtureflow.journey..", "io.nurtureflow.security..", "io.nurtureflow.web..");

	@ArchTest
	static final ArchRule featuresFormNoCycles = slices().matching("io.nurtureflow.(*)..").should().beFreeOfCycles();

}
