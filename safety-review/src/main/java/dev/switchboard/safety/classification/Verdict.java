package dev.switchboard.safety.classification;

/**
 * What a classification means for review.
 *
 * @param flagged some category reached its threshold
 * @param category the most severe category that reached its threshold (or the top-scoring one when
 *     nothing did)
 * @param score that category's score
 * @param severity 0..100, drives queue priority
 * @param severe the category blocks the person at once and goes to the urgent queue
 */
public record Verdict(
    boolean flagged, String category, double score, int severity, boolean severe) {}
