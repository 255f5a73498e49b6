/** Presentations as structured data: what the deck writer takes and the reader returns. */

export interface SlideChart {
  type: "column" | "bar" | "line" | "pie";
  title?: string;
  categories: string[];
  series: Array<{ name: string; values: number[] }>;
}

export interface SlideSpec {
  title?: string;
  /** A smaller line under the title. */
  subtitle?: string;
  bullets?: string[];
  /** Rows of cells; the first row is the header. */
  table?: Array<Array<string | number>>;
  /** An image file (png, jpg), relative to the workspace. */
  image?: string;
  chart?: SlideChart;
  /** Speaker notes. */
  notes?: string;
}

export interface SlideContent {
  /** 1-based, in presentation order. */
  number: number;
  title: string;
  /** Text of every other text box, one entry per paragraph. */
  text: string[];
  tables: string[][][];
  charts: Array<{ type: string; title?: string; series: Array<{ name?: string }> }>;
  images: number;
  notes: string;
}

export interface DeckContent {
  slides: SlideContent[];
}
