export { createNodes, createNodesV2, PROJECT_FILES } from './plugin';
export { IMAGE_BUILD_SCRIPTS } from './apps/image-build-scripts';
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
} from './terraform/hcl';
export { terraformProjectName } from './terraform/terraform-targets';
