package io.nurtureflow;

import javax.xml.datatype.DatatypeFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class NurtureflowApplication {

	private static final String MAIL_STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

	static {
		// The engine reads every retry cycle and timer duration with a new DatatypeFactory. Unless
		// this names one, the JDK searches every jar on the class path for a provider each time:
		// about 3 % of the CPU a lead costs. None of our jars provides one, so naming the JDK's own
		// changes nothing but the search.
		if (System.getProperty(DatatypeFactory.DATATYPEFACTORY_PROPERTY) == null) {
			System.setProperty(DatatypeFactory.DATATYPEFACTORY_PROPERTY,
					DatatypeFactory.DATATYPEFACTORY_IMPLEMENTATION_CLASS);
		}
		// Jakarta Mail looks its stream provider up for every multipart it builds or writes, and
		// without a name it asks the ServiceLoader each time: 13 % of the CPU of a lead whose
		// acknowledgement goes out by SMTP. Angus Mail, the implementation we ship, is the only one.
		if (System.getProperty(MAIL_STREAM_PROVIDER) == null) {
			System.setProperty(MAIL_STREAM_PROVIDER, "org.eclipse.angus.mail.util.MailStreamProvider");
		}
	}

	public static void main(String[] args) {
		SpringApplication.run(NurtureflowApplication.class, args);
	}

}
