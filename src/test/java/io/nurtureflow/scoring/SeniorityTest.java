package io.nurtureflow.scoring;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SeniorityTest {

	@ParameterizedTest(name = "\"{0}\" reads as {1}")
	@CsvSource({ "Chief Revenue Officer, EXECUTIVE", "VP Sales, EXECUTIVE", "Co-Founder & CEO, EXECUTIVE",
			"Head of Operations, DIRECTOR", "Director of Marketing, DIRECTOR", "Sales Manager, MANAGER",
			"Team Lead Support, MANAGER", "Account Executive, INDIVIDUAL", "'', UNKNOWN" })
	void titlesReadAsSeniority(String title, Seniority expected) {
		assertThat(Seniority.of(title)).isEqualTo(expected);
	}

	/** Words of English titles that name no executive here, though they hold "owner" or "partner". */
	@ParameterizedTest(name = "\"{0}\" reads as {1}")
	@CsvSource({ "Product Owner, INDIVIDUAL", "Process Owner, INDIVIDUAL", "HR Business Partner, INDIVIDUAL",
			"Partner Manager, MANAGER", "Channel Partner Account Manager, MANAGER", "Partner Marketing Lead, MANAGER",
			"Managing Partner, EXECUTIVE", "Partner, EXECUTIVE", "Owner, EXECUTIVE", "Business Owner, EXECUTIVE" })
	void ownersAndPartnersAreExecutivesOnlyOfTheirBusiness(String title, Seniority expected) {
		assertThat(Seniority.of(title)).isEqualTo(expected);
	}

	/** Titles as leads in the served markets (DACH, France, the Netherlands, the Nordics) write them. */
	@ParameterizedTest(name = "\"{0}\" reads as {1}")
	@CsvSource({ "Geschäftsführer, EXECUTIVE", "Geschäftsführerin Vertrieb, EXECUTIVE", "Inhaber, EXECUTIVE",
			"Gründerin, EXECUTIVE", "Mitglied des Vorstands, EXECUTIVE", "PDG, EXECUTIVE",
			"Président-directeur général, EXECUTIVE", "Présidente, EXECUTIVE", "Directrice générale, EXECUTIVE",
			"Fondateur, EXECUTIVE", "Eigenaar, EXECUTIVE", "Oprichter, EXECUTIVE", "VD, EXECUTIVE",
			"Daglig leder, EXECUTIVE", "Toimitusjohtaja, EXECUTIVE", "Leiter Vertrieb, DIRECTOR",
			"Vertriebsleiterin, DIRECTOR", "Bereichsleiter IT, DIRECTOR", "Direktor Marketing, DIRECTOR",
			"Directeur commercial, DIRECTOR", "Directrice marketing, DIRECTOR", "Hoofd Marketing, DIRECTOR",
			"Salgsdirektør, DIRECTOR", "Försäljningsdirektör, DIRECTOR", "Myyntijohtaja, DIRECTOR",
			"Teamleiter Support, MANAGER", "Projektleiterin, MANAGER", "Responsable marketing, MANAGER",
			"Teamleider, MANAGER", "Myyntipäällikkö, MANAGER", "Sachbearbeiter, INDIVIDUAL" })
	void titlesInTheServedMarketsLanguagesReadAsSeniority(String title, Seniority expected) {
		assertThat(Seniority.of(title)).isEqualTo(expected);
	}

}
