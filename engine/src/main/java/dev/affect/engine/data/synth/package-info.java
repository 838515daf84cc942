/**
 * Synthetic Aff-Wild2-style datasets in the exact ABAW release layout (annotation folders per task plus
 * {@code cropped_aligned/} face crops), with procedurally drawn faces whose geometry encodes the labels. For
 * pipeline tests, smoke training and benchmarks without the real (licensed) data.
 */
package dev.affect.engine.data.synth;
