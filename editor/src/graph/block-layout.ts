// Sizes of a block on the canvas. BlockNode draws with them, and the template layout test uses
// them to check that no two blocks of a stored flow overlap.

/** Minimum outer width of a block, in CSS pixels (border-box). */
export const BLOCK_MIN_WIDTH = 190;
/** Maximum outer width of a block. Longer texts wrap or end in an ellipsis. */
export const BLOCK_MAX_WIDTH = 260;
/** Distance from the block's top to the centre of its first port. */
export const PORT_TOP = 44;
/** Vertical distance between two ports on the same side. */
export const PORT_SPACING = 22;
/**
 * Height below the ports: the footer's margin, a run status line, a warnings line, a two-line
 * error and the bottom padding.
 */
export const BLOCK_FOOTER_HEIGHT = 76;

/**
 * Returns the height of a block with `ports` ports on its taller side, with the footer at its
 * full height.
 * NOTE: an error message longer than two lines makes the block taller than this.
 */
export function blockHeight(ports: number): number {
  return PORT_TOP + ports * PORT_SPACING + BLOCK_FOOTER_HEIGHT;
}
