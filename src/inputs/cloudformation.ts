import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse, type ScalarTag, type CollectionTag } from "yaml";
import { readInputText } from "./files";

/** CloudFormation templates may be up to 1 MB in S3; cdk synth output of big apps runs larger. */
const MAX_TEMPLATE_BYTES = 8 * 1024 * 1024;

/** One resource of a CloudFormation template: its logical id, type and properties as written. */
export interface CfnResource {
  logicalId: string;
  type: string;
  properties: Record<string, unknown>;
}

export interface CfnTemplateFile {
  file: string;
  parameters: Record<string, { Default?: unknown }>;
  resources: CfnResource[];
}

/** The short forms of CloudFormation's YAML (`!Ref x`, `!GetAtt a.b`, `!Sub ...`), read as their long forms. */
const INTRINSICS = [
  "Ref",
  "Condition",
  "Fn::Base64",
  "Fn::Cidr",
  "Fn::FindInMap",
  "Fn::GetAtt",
  "Fn::GetAZs",
  "Fn::ImportValue",
  "Fn::Join",
  "Fn::Select",
  "Fn::Split",
  "Fn::Sub",
  "Fn::If",
  "Fn::Equals",
  "Fn::And",
  "Fn::Or",
  "Fn::Not",
];
const shortTags = (): (ScalarTag | CollectionTag)[] =>
  INTRINSICS.flatMap((name) => {
    const tag = `!${name.replace(/^Fn::/, "")}`;
    // `!GetAtt a.b` is a string; the long form takes [a, b].
    const wrap = (value: unknown) => ({
      [name]: name === "Fn::GetAtt" && typeof value === "string" ? value.split(".", 2) : value,
    });
    return [
      { tag, resolve: (value: string) => wrap(value) } as ScalarTag,
      { tag, collection: "seq", resolve: (seq: { toJSON(): unknown }) => wrap(seq.toJSON()) } as CollectionTag,
      { tag, collection: "map", resolve: (map: { toJSON(): unknown }) => wrap(map.toJSON()) } as CollectionTag,
    ];
  });

/** One template file, JSON or YAML; the error names the file. */
export function readCfnTemplate(file: string): CfnTemplateFile {
  const read = readInputText(file, MAX_TEMPLATE_BYTES);
  if ("problem" in read) throw new Error(`${file}: ${read.problem}`);
  const text = read.text;
  let document: unknown;
  try {
    document = text.trimStart().startsWith("{")
      ? JSON.parse(text)
      : parse(text, { customTags: shortTags(), maxAliasCount: 100 });
  } catch (error) {
    throw new Error(`${file}: not a CloudFormation template in JSON or YAML (${(error as Error).message})`);
  }
  const resources = (document as { Resources?: unknown } | null)?.Resources;
  if (!resources || typeof resources !== "object")
    throw new Error(`${file}: no Resources section, so not a CloudFormation template`);
  return {
    file,
    parameters: ((document as { Parameters?: Record<string, { Default?: unknown }> }).Parameters ?? {}) as Record<
      string,
      { Default?: unknown }
    >,
    resources: Object.entries(resources as Record<string, { Type?: unknown; Properties?: unknown }>).flatMap(
      ([logicalId, r]) =>
        typeof r?.Type === "string"
          ? [{ logicalId, type: r.Type, properties: (r.Properties ?? {}) as Record<string, unknown> }]
          : [],
    ),
  };
}

/** A template file, or every stack template of a `cdk.out` folder (`*.template.json`). */
export function readCfnTemplates(path: string): CfnTemplateFile[] {
  let folder: boolean;
  try {
    folder = statSync(path).isDirectory();
  } catch (error) {
    throw new Error(`${path}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!folder) return [readCfnTemplate(path)];
  // cdk.out holds each stack as *.template.json beside files that are not templates; another folder, its templates.
  const names = readdirSync(path).sort();
  const synthesized = names.filter((f) => f.endsWith(".template.json"));
  const files = synthesized.length ? synthesized : names.filter((f) => /\.(json|ya?ml)$/.test(f));
  const templates = files.flatMap((f) => {
    try {
      return [readCfnTemplate(join(path, f))];
    } catch (error) {
      if (synthesized.length) throw error;
      return []; // a file of the folder that is not a template
    }
  });
  if (!templates.length)
    throw new Error(`${path}: no CloudFormation template in this folder (give cdk.out, a folder of templates, or one)`);
  return templates;
}

/**
 * What a value of the template says, as far as the template fixes it: strings, numbers and booleans as written;
 * `Ref` to a parameter its default, to a resource the resource's logical id (and `refs` notes it); `Fn::GetAtt` the
 * logical id too; `Fn::Sub`, `Fn::Join` and `Fn::Select` over what resolves. Anything else is undefined, and
 * `unresolved` names it.
 */
export class IntrinsicResolver {
  readonly unresolved = new Set<string>();
  constructor(
    private readonly template: CfnTemplateFile,
    private readonly pseudo: { region: string; accountId: string; name: string },
  ) {}

  private readonly logicalIds = () => new Set(this.template.resources.map((r) => r.logicalId));

  /** The logical ids a value refers to (Ref, GetAtt, Sub), anywhere inside it. */
  references(value: unknown, found = new Set<string>()): Set<string> {
    if (Array.isArray(value)) for (const v of value) this.references(v, found);
    else if (value && typeof value === "object") {
      const object = value as Record<string, unknown>;
      if (typeof object.Ref === "string" && this.logicalIds().has(object.Ref)) found.add(object.Ref);
      const getAtt = object["Fn::GetAtt"];
      if (Array.isArray(getAtt) && typeof getAtt[0] === "string" && this.logicalIds().has(getAtt[0]))
        found.add(getAtt[0]);
      const sub = object["Fn::Sub"];
      const text = typeof sub === "string" ? sub : Array.isArray(sub) && typeof sub[0] === "string" ? sub[0] : "";
      for (const match of text.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z.]+)?\}/g))
        if (this.logicalIds().has(match[1]!)) found.add(match[1]!);
      for (const v of Object.values(object)) this.references(v, found);
    }
    return found;
  }

  string(value: unknown, what: string): string | undefined {
    const resolved = this.resolve(value);
    if (typeof resolved === "string" || typeof resolved === "number") return String(resolved);
    if (value !== undefined) this.unresolved.add(what);
    return undefined;
  }

  number(value: unknown, what: string): number | undefined {
    const resolved = this.resolve(value);
    const n = typeof resolved === "string" ? Number(resolved) : resolved;
    if (typeof n === "number" && Number.isFinite(n)) return n;
    if (value !== undefined) this.unresolved.add(what);
    return undefined;
  }

  private resolve(value: unknown): unknown {
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    const object = value as Record<string, unknown>;
    if (typeof object.Ref === "string") return this.ref(object.Ref);
    if ("Fn::GetAtt" in object) {
      const [id] = object["Fn::GetAtt"] as [string];
      return typeof id === "string" ? id : undefined;
    }
    if ("Fn::Sub" in object) {
      const sub = object["Fn::Sub"];
      const [text, variables] = Array.isArray(sub)
        ? (sub as [string, Record<string, unknown>])
        : [sub, {} as Record<string, unknown>];
      if (typeof text !== "string") return undefined;
      let complete = true;
      const out = text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
        const v = name in (variables ?? {}) ? this.resolve(variables[name]) : this.ref(name.split(".")[0]!);
        if (typeof v !== "string" && typeof v !== "number") complete = false;
        return String(v);
      });
      return complete ? out : undefined;
    }
    if ("Fn::Join" in object) {
      const [separator, parts] = object["Fn::Join"] as [string, unknown[]];
      const resolved = (Array.isArray(parts) ? parts : []).map((p) => this.resolve(p));
      return resolved.every((p) => typeof p === "string" || typeof p === "number")
        ? resolved.join(separator)
        : undefined;
    }
    if ("Fn::Select" in object) {
      const [index, list] = object["Fn::Select"] as [unknown, unknown];
      const items = this.resolve(list);
      const i = Number(this.resolve(index));
      return Array.isArray(items) ? items[i] : undefined;
    }
    if ("Fn::GetAZs" in object) return ["a", "b", "c"].map((l) => `${this.pseudo.region}${l}`);
    return undefined;
  }

  private ref(name: string): unknown {
    if (name === "AWS::Region") return this.pseudo.region;
    if (name === "AWS::AccountId") return this.pseudo.accountId;
    if (name === "AWS::StackName") return this.pseudo.name;
    if (name === "AWS::Partition") return "aws";
    if (name === "AWS::URLSuffix") return "amazonaws.com";
    if (name in this.template.parameters) return this.template.parameters[name]?.Default;
    if (this.logicalIds().has(name)) return name;
    return undefined;
  }
}
