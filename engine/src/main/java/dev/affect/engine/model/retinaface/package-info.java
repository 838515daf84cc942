/**
 * RetinaFace with the MobileNet-0.25 backbone (biubug6/Pytorch_Retinaface as shipped in DDAMFN++'s
 * Retinaface_alignment_ver2.0), the face detector in front of DDAMFN.
 *
 * <p>{@link dev.affect.engine.model.retinaface.RetinaFaceNetwork} emits the network on the graph IR
 * per input size; {@link dev.affect.engine.model.retinaface.RetinaFace} loads the released weights
 * (.pth or .safetensors) and compiles per input shape; {@link dev.affect.engine.model.retinaface.Priors},
 * {@link dev.affect.engine.model.retinaface.BoxDecoder} and
 * {@link dev.affect.engine.model.retinaface.PostProcessing} are the authors' anchor, decoding and
 * selection code in plain Java; {@link dev.affect.engine.model.retinaface.Preprocessing} their resize and
 * mean subtraction; {@link dev.affect.engine.model.retinaface.RetinaFaceDetector} puts it together with
 * size buckets. Alignment (5-point similarity + warp) lives elsewhere.
 */
package dev.affect.engine.model.retinaface;
