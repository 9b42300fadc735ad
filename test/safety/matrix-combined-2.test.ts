import { describeCombinedHalf } from "./combined";

describeCombinedHalf(1);
