package io.nurtureflow.security;

import io.nurtureflow.support.NurtureflowTest;

@NurtureflowTest
class SecurityOnH2Test extends SecurityScenarios {

}
