declare module "asl-validator";
