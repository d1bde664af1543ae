package io.nurtureflow;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class NurtureflowApplication {

	public static void main(String[] args) {
		SpringApplication.run(NurtureflowApplication.class, args);
	}

}
