package io.exportcounter.contract;

public enum MilestoneType {
    CROSSED, RETRACTED
}
