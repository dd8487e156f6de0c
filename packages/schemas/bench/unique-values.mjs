/**
 * The captured envelopes, `copies` times over, with every value the validators remember (digests,
 * media types, repositories, tags) made unique: the case where nothing repeats and remembering
 * only costs. Indented as the registry indents its bodies.
 */
export function withUniqueValues(bodies, copies) {
  let serial = 0;
  const unique = () => (serial++).toString(16);
  const renamed = (node) => {
    if (typeof node.digest === 'string') {
      const suffix = unique();
      node.digest = `${node.digest.slice(0, node.digest.length - suffix.length)}${suffix}`;
    }
    if (typeof node.mediaType === 'string') node.mediaType = `${node.mediaType}.u${unique()}`;
    if (typeof node.repository === 'string') node.repository = `${node.repository}-u${unique()}`;
    if (typeof node.tag === 'string') node.tag = `${node.tag}-u${unique()}`;
    for (const reference of node.references ?? []) renamed(reference);
  };
  const out = [];
  for (let copy = 0; copy < copies; copy++) {
    for (const body of bodies) {
      const envelope = JSON.parse(body);
      for (const event of envelope.events) if (event.target) renamed(event.target);
      out.push(JSON.stringify(envelope, null, 3));
    }
  }
  return out;
}
