package io.nurtureflow.security;

import io.nurtureflow.support.PostgresTest;

@PostgresTest
class SecurityOnPostgresTest extends SecurityScenarios {

}
