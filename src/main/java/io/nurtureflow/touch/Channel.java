package io.nurtureflow.touch;

/** The ways a journey can touch a lead. */
public enum Channel {

	EMAIL, SMS

}
