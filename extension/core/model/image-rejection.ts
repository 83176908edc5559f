// Whether a 400 from the endpoint is its way of saying the model takes no image input. Providers word it many ways
// ("image input is not supported", "this model does not support vision", "Invalid content type. image_url is only
// supported by certain models", llama.cpp's "image input is not supported - hint: ..."); the caller applies this
// only to a bad request that carried images, with the model and host names cut out of the text.
// A text-only server that validates `content` as a string says so about the field: only images made it a list.
const MENTIONS_IMAGES = /\bimages?\b|image_url|\bvision\b|multi-?modal|content[ _-]?(type|part)s?\b|\bmodalit(y|ies)\b|\bcontent\b.*\b(valid )?str(ing)?\b/i;
const SAYS_REFUSED =
  /not supported|does not support|doesn't support|unsupported|not allowed|not enabled|only supported|cannot|can't|invalid|expected .*string|must be (a )?string|should be a valid string|not (a )?valid|unknown variant/i;

export function rejectsImageInput(providerText: string): boolean {
  return MENTIONS_IMAGES.test(providerText) && SAYS_REFUSED.test(providerText);
}
