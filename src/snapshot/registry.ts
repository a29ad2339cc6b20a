/**
 * What the registries said of the tags the containers' images were pulled by: the digest each tag
 * names now, or why it could not be asked. Collected only when asked for (`--check-registry`):
 * an audit does not go to the network by default.
 */
export interface RegistryTagCheck {
  /** The reference the containers name (`localhost:5000/app:1`, `nginx:1.25`). */
  reference: string;
  /** `sha256:…`: the manifest (or manifest list) digest the tag names now. */
  digest?: string;
  /** Why the registry could not tell: unreachable, refused, timed out, not found. */
  reason?: string;
}

export interface RegistryFacts {
  checkedAt: string;
  tags: RegistryTagCheck[];
}
