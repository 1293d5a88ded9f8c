export { createNodes, createNodesV2, PROJECT_FILES } from './plugin.js';
export {
  blocksOf,
  isExpression,
  loadTerraformTree,
  moduleSource,
  nested,
  nestedAll,
  parseTerraform,
  where,
  type Block,
  type BlockKind,
  type Body,
  type TerraformFile,
} from './terraform/hcl.js';
export { terraformProjectName } from './terraform/terraform-targets.js';
