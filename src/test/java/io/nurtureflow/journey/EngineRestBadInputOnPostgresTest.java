package io.nurtureflow.journey;

import io.nurtureflow.support.PostgresTest;

@PostgresTest
class EngineRestBadInputOnPostgresTest extends EngineRestBadInputScenarios {

}
